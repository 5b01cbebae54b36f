using System.Net;
using ARSoft.Tools.Net.Dns;
using NetPortal.Linux.Namespaces;

namespace NetPortal.Linux.Tests.Dns;

/// <summary>An upstream DNS server inside the managed namespace; counts the questions it saw.</summary>
internal sealed class StubUpstream : IDisposable
{
    private readonly DnsServer _server;
    private int _questions;

    public StubUpstream(NetNamespace ns, IPAddress address, IPAddress? answer, ReturnCode code)
    {
        // ARSoft's transports create their sockets in their constructors: build and start them on the namespace's thread.
        _server = ns.Run(() =>
        {
            var ep = new IPEndPoint(address, 53);
            var server = new DnsServer(new UdpServerTransport(ep), new TcpServerTransport(ep));
            server.QueryReceived += (_, e) =>
            {
                Interlocked.Increment(ref _questions);
                var query = (DnsMessage)e.Query;
                var reply = query.CreateResponseInstance();
                reply.ReturnCode = code;
                if (code == ReturnCode.NoError && answer is not null && query.Questions[0].RecordType == RecordType.A)
                    reply.AnswerRecords.Add(new ARecord(query.Questions[0].Name, 60, answer));
                e.Response = reply;
                return Task.CompletedTask;
            };
            server.Start();
            return server;
        });
    }

    public int Questions => Volatile.Read(ref _questions);

    public void Dispose() => _server.Stop();
}
