namespace Gradients;

/// <summary>What a <see cref="GradientCheckReport{T}"/>'s entries are.</summary>
public enum GradientCheckMode
{
    /// <summary>One entry per gradient component, from adaptive central differences (Ridders' method, typically 10–16 evaluations of f each).</summary>
    Components,

    /// <summary>One entry per random unit direction u: ∇f·u against a central directional difference (2 evaluations each).</summary>
    RandomDirections,
}
