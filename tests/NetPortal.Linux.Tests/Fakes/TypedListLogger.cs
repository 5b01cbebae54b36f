using Microsoft.Extensions.Logging;

namespace NetPortal.Linux.Tests.Fakes;

/// <summary>A <see cref="ListLogger"/> behind an ILogger&lt;T&gt;, for classes that take a typed logger.</summary>
public sealed class TypedListLogger<T>(ListLogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
