namespace NetPortal.Api.Daemon;

/// <summary>A daemon ID kept in the data root (like dockerd's engine-id), read on first use.</summary>
public sealed class DaemonIdentity(DaemonSettings settings)
{
    private readonly Lazy<string> _id = new(() => LoadOrCreate(settings.DataRoot));

    public string Id => _id.Value;

    private static string LoadOrCreate(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "engine-id");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var id = Guid.NewGuid().ToString();
        Directory.CreateDirectory(dataRoot);
        File.WriteAllText(path, id);
        return id;
    }
}
