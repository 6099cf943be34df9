using Npgsql;

namespace DPSynth.Tests.Support;

/// <summary>
/// The local PostgreSQL that <c>.ci/run</c> installs and starts (Debian's package, via <c>.ci/postgres</c>); its
/// connection string is in <see cref="Variable"/>. Tests that need it use <see cref="RequiresPostgresFactAttribute"/>,
/// which reports them skipped, with the reason, when the variable is not set.
/// </summary>
public static class LocalPostgres
{
    /// <summary>The environment variable <c>.ci/run</c> sets to the test server's connection string.</summary>
    public const string Variable = "DPSYNTH_TEST_POSTGRES";

    /// <summary>The connection string, or null.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    /// <summary>True when the connection string is set.</summary>
    public static bool Available => ConnectionString is not null;

    /// <summary>Why PostgreSQL tests are skipped on this machine.</summary>
    public static string MissingReason =>
        $"{Variable} is not set: no PostgreSQL server for the SQL-source tests (.ci/run installs and starts one when it runs " +
        "as root with apt-get, and sets it).";

    /// <summary>
    /// Creates a table with the given column names and PostgreSQL types, fills it with <paramref name="rows"/> (null for
    /// SQL NULL), and returns a handle that drops it.
    /// </summary>
    public static Table Create(string[] names, string[] types, IEnumerable<object?[]> rows)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        var columns = string.Join(", ", names.Select((n, i) => $"\"{n.Replace("\"", "\"\"", StringComparison.Ordinal)}\" {types[i]}"));
        using (var create = new NpgsqlCommand($"CREATE TABLE {name} ({columns})", connection))
        {
            create.ExecuteNonQuery();
        }

        var list = string.Join(", ", names.Select(n => $"\"{n.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
        using (var import = connection.BeginBinaryImport($"COPY {name} ({list}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                import.StartRow();
                foreach (var value in row)
                {
                    if (value is null)
                    {
                        import.WriteNull();
                    }
                    else
                    {
                        import.Write(value);
                    }
                }
            }

            import.Complete();
        }

        return new Table(name);
    }

    /// <summary>A table that is dropped on dispose.</summary>
    public sealed class Table(string name) : IDisposable
    {
        /// <summary>Its name.</summary>
        public string Name { get; } = name;

        /// <inheritdoc />
        public void Dispose()
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {Name}", connection);
            drop.ExecuteNonQuery();
        }
    }
}

/// <summary>A fact that needs the local PostgreSQL; skipped with the reason when it is not there.</summary>
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PostgreSQL is not available.</summary>
    public RequiresPostgresFactAttribute()
    {
        if (!LocalPostgres.Available)
        {
            Skip = LocalPostgres.MissingReason;
        }
    }
}

/// <summary>An FsCheck property that needs the local PostgreSQL; skipped with the reason when it is not there.</summary>
public sealed class RequiresPostgresPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PostgreSQL is not available.</summary>
    public RequiresPostgresPropertyAttribute()
    {
        if (!LocalPostgres.Available)
        {
            Skip = LocalPostgres.MissingReason;
        }
    }
}
