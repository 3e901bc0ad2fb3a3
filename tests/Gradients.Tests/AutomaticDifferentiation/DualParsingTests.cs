using System.Globalization;

namespace Gradients.Tests.AutomaticDifferentiation;

/// <summary>Parsing and formatting of <see cref="Dual{T}"/> at their edges (issue 13, second hostile run).</summary>
public sealed class DualParsingTests
{
    [Fact]
    public void Parse_of_null_names_s_in_every_string_overload()
    {
        // Dual<double>.Parse(null, provider) reported "The input string '' was not in a correct format" (T.Parse's
        // FormatException): a null string is an ArgumentNullException naming s, as double.Parse reports it.
        Assert.Equal("s", Assert.Throws<ArgumentNullException>(() => Dual<double>.Parse(null!, CultureInfo.InvariantCulture)).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentNullException>(() => Dual<float>.Parse(null!, NumberStyles.Float, CultureInfo.InvariantCulture)).ParamName);
        Assert.False(Dual<double>.TryParse((string?)null, CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Constants_round_trip_and_a_tangent_is_not_parsed()
    {
        var constant = new Dual<double>(0.1 + 0.2, 0);
        var back = Dual<double>.Parse(constant.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.Equal(constant.Value, back.Value);
        Assert.Equal(0.0, back.Tangent);

        // "2 + 5ε" is printed, not parsed (parsing gives constants; docs/forward-mode.md, Conventions).
        var text = new Dual<double>(2, 5).ToString(null, CultureInfo.InvariantCulture);
        Assert.Equal("2 + 5ε", text);
        Assert.Throws<FormatException>(() => Dual<double>.Parse(text, CultureInfo.InvariantCulture));
        Assert.False(Dual<double>.TryParse(text, CultureInfo.InvariantCulture, out _));
    }
}
