using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Networks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Driver = table.Column<string>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", nullable: false),
                    Created = table.Column<string>(type: "TEXT", nullable: false),
                    EnableIPv4 = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnableIPv6 = table.Column<bool>(type: "INTEGER", nullable: false),
                    Internal = table.Column<bool>(type: "INTEGER", nullable: false),
                    Attachable = table.Column<bool>(type: "INTEGER", nullable: false),
                    Ingress = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConfigOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConfigFrom = table.Column<string>(type: "TEXT", nullable: false),
                    IpamDriver = table.Column<string>(type: "TEXT", nullable: false),
                    IpamOptions = table.Column<string>(type: "TEXT", nullable: true),
                    Options = table.Column<string>(type: "TEXT", nullable: false),
                    Labels = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Networks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IpamAllocations",
                columns: table => new
                {
                    NetworkId = table.Column<string>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpamAllocations", x => new { x.NetworkId, x.Address });
                    table.ForeignKey(
                        name: "FK_IpamAllocations_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IpamPools",
                columns: table => new
                {
                    NetworkId = table.Column<string>(type: "TEXT", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Subnet = table.Column<string>(type: "TEXT", nullable: false),
                    IPRange = table.Column<string>(type: "TEXT", nullable: true),
                    Gateway = table.Column<string>(type: "TEXT", nullable: true),
                    SubnetRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    GatewayRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    AuxiliaryAddresses = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpamPools", x => new { x.NetworkId, x.Ordinal });
                    table.ForeignKey(
                        name: "FK_IpamPools_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Networks_Name",
                table: "Networks",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IpamAllocations");

            migrationBuilder.DropTable(
                name: "IpamPools");

            migrationBuilder.DropTable(
                name: "Networks");
        }
    }
}
