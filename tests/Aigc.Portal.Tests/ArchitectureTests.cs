using System.Reflection;
using Aigc.Platform.Data;

namespace Aigc.Portal.Tests;

/// <summary>
/// The web talks to the domain through Aigc.Platform's services only: no Portal type outside the composition root
/// touches PortalDbContext or the lower libraries (Aigc.Neural, Aigc.Generation, Aigc.Imaging). Read from the
/// compiled assembly: fields, properties, parameters, return types and method locals, compiler-made types included
/// (lambdas, async state machines), generic arguments unwrapped.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Portal = typeof(Program).Assembly;

    private static readonly string[] LowerLibraries = ["Aigc.Neural", "Aigc.Generation", "Aigc.Imaging"];

    [Fact]
    public void Portal_types_reach_the_domain_only_through_Platform_services()
    {
        var offenders = Portal.GetTypes()
            .Where(t => !IsCompositionRoot(t))
            .Select(t => (Type: OuterMost(t), Uses: ForbiddenUses(t).ToList()))
            .Where(x => x.Uses.Count > 0)
            .GroupBy(x => x.Type.FullName!, x => x.Uses)
            .Select(g => $"{g.Key}: {string.Join(", ", g.SelectMany(u => u).Distinct().Order())}")
            .Order()
            .ToList();

        Assert.True(offenders.Count == 0, "Portal types using the database or lower libraries directly:\n"
            + string.Join("\n", offenders));
    }

    [Fact]
    public void Dependencies_point_one_way()
    {
        static string[] Refs(Type t) => t.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain("Aigc.Portal", Refs(typeof(PortalDbContext)));
        Assert.DoesNotContain("Aigc.Platform", Refs(typeof(Aigc.Generation.Inference.IInferenceDevice)));
        Assert.DoesNotContain("Aigc.Platform", Refs(typeof(Aigc.Imaging.ImagingOptions)));
        Assert.DoesNotContain("Aigc.Imaging", Refs(typeof(Aigc.Neural.NeuralOptions)));
        Assert.DoesNotContain("Aigc.Generation", Refs(typeof(Aigc.Imaging.ImagingOptions)));
    }

    /// <summary>Program and the AddXxx/MapXxx registration classes wire the layers together.</summary>
    private static bool IsCompositionRoot(Type type)
    {
        var outer = OuterMost(type);
        return outer == typeof(Program) || outer.Name.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal);
    }

    private static Type OuterMost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<string> ForbiddenUses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = new List<Type>();
        used.AddRange(type.GetFields(all).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                used.Add(info.ReturnType);
            }

            var locals = method.GetMethodBody()?.LocalVariables;
            if (locals is not null)
            {
                used.AddRange(locals.Select(l => l.LocalType));
            }
        }

        return used.SelectMany(Unwrap).Where(IsForbidden).Select(t => t.Name).Distinct();
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return inner;
            }
        }
    }

    private static bool IsForbidden(Type type) =>
        type == typeof(PortalDbContext) || LowerLibraries.Contains(type.Assembly.GetName().Name);
}
