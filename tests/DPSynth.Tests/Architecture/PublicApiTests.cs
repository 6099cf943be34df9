using System.Reflection;
using DPSynth.Cli;
using DPSynth.Diagnostics;
using PublicApiGenerator;

namespace DPSynth.Tests.Architecture;

/// <summary>
/// The public API of the engine and the command-line assembly, tracked as text beside this test: a change to it fails
/// here until the approved file is updated in the same commit, so every API change is seen in review. To approve a
/// change, run the tests with <c>DPSYNTH_ACCEPT_API=1</c> and commit the rewritten file.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to rewrite the approved files with the current API.</summary>
    public const string AcceptVariable = "DPSYNTH_ACCEPT_API";

    [Theory]
    [InlineData("DPSynth")]
    [InlineData("DPSynth.Cli")]
    public void The_public_api_is_the_approved_one(string assemblyName)
    {
        var assembly = assemblyName == "DPSynth" ? typeof(ExitCode).Assembly : typeof(DPSynthCli).Assembly;
        var current = Generate(assembly);
        var approvedPath = Path.Combine(LayerTests.RepoRoot(), "tests", "DPSynth.Tests", "Architecture", $"{assemblyName}.api.txt");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(approvedPath, current);
        }

        Assert.True(File.Exists(approvedPath), $"{approvedPath} is missing: run the tests once with {AcceptVariable}=1 and commit it");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        Assert.True(
            approved == current,
            $"The public API of {assemblyName} changed. Review the difference, then run the tests with {AcceptVariable}=1 " +
            $"and commit {approvedPath}.\nFirst difference:\n{FirstDifference(approved, current)}");
    }

    private static string Generate(Assembly assembly) =>
        assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Compiler-generated attributes differ between SDK builds and say nothing about the API.
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        }).ReplaceLineEndings("\n");

    private static string FirstDifference(string approved, string current)
    {
        var a = approved.Split('\n');
        var c = current.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, c.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < c.Length ? c[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}\n  approved: {left}\n  current:  {right}";
            }
        }

        return "(none)";
    }
}
