namespace NetPortal.Api.Contracts;

/// <summary>Docker's ConfigFrom: always present, {"Network":""} when unused.</summary>
public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}
