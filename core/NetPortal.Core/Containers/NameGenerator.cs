namespace NetPortal.Core.Containers;

/// <summary>Docker-style random container names ("adjective_surname"), for creates without a name.</summary>
internal static class NameGenerator
{
    private static readonly string[] Left = ["admiring", "brave", "clever", "eager", "focused", "gallant", "happy", "jolly", "keen", "lucid", "modest", "nifty", "quirky", "serene", "tender", "vibrant", "wizardly", "zealous"];
    private static readonly string[] Right = ["allen", "babbage", "curie", "dijkstra", "euclid", "feynman", "goldberg", "hopper", "kare", "lamport", "liskov", "lovelace", "noether", "pike", "ritchie", "shannon", "thompson", "turing"];

    public static string Next(Func<string, bool> taken)
    {
        for (var i = 0; ; i++)
        {
            var name = $"{Left[Random.Shared.Next(Left.Length)]}_{Right[Random.Shared.Next(Right.Length)]}";
            if (i > 10) name += Random.Shared.Next(10);
            if (!taken(name)) return name;
        }
    }
}
