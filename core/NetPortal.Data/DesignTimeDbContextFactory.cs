using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NetPortal.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model from this project alone, without the API as startup project.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<NetPortalDbContext>
{
    public NetPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NetPortalDbContext>()
            .UseNetPortalSqlite("Data Source=netportal-design.db")
            .Options);
}
