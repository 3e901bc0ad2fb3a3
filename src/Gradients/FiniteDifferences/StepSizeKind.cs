namespace Gradients;

/// <summary>How a user-supplied step is turned into the step hᵢ of coordinate i.</summary>
public enum StepSizeKind
{
    /// <summary>hᵢ = step · max(|xᵢ|, 1): the step scales with the coordinate (the default).</summary>
    Relative = 0,

    /// <summary>hᵢ = step, whatever xᵢ is.</summary>
    Absolute = 1,
}
