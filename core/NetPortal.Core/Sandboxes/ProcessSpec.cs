namespace NetPortal.Core.Sandboxes;

/// <summary>A command to run inside a sandbox, from the host filesystem, as root.</summary>
/// <param name="Args">argv; Args[0] is looked up in PATH from Env (or the default PATH).</param>
/// <param name="Env">"K=V" entries; the process gets exactly these (plus PATH and HOSTNAME when absent, as Docker).</param>
public sealed record ProcessSpec(IReadOnlyList<string> Args, IReadOnlyList<string> Env, string WorkingDir);
