namespace Gradients.Benchmarks.Gate;

/// <summary>
/// The options of a subcommand: <c>--name value...</c> pairs (an option takes every following word up to the next
/// <c>--option</c>), positional words before the first option, and options the subcommand does not know, kept
/// in order so they can be handed on to BenchmarkDotNet.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);

    private CommandLine()
    {
    }

    /// <summary>Words before the first option.</summary>
    public IReadOnlyList<string> Positional { get; private set; } = [];

    /// <summary>Options not in the known list, with their values, in command-line order.</summary>
    public IReadOnlyList<string> Unknown { get; private set; } = [];

    /// <summary>Splits <paramref name="args"/>; options named in <paramref name="known"/> are kept, the others go to <see cref="Unknown"/>.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(args);
        var line = new CommandLine();
        var positional = new List<string>();
        var unknown = new List<string>();
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                if (known.Contains(arg, StringComparer.OrdinalIgnoreCase))
                {
                    if (!line._options.TryGetValue(arg, out current))
                    {
                        current = [];
                        line._options.Add(arg, current);
                    }
                }
                else
                {
                    current = unknown;
                    unknown.Add(arg);
                }
            }
            else
            {
                (current ?? positional).Add(arg);
            }
        }

        line.Positional = positional;
        line.Unknown = unknown;
        return line;
    }

    /// <summary>Whether the option was given.</summary>
    public bool Has(string option) => _options.ContainsKey(option);

    /// <summary>Every value given to the option (it may be repeated).</summary>
    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var values) ? values : [];

    /// <summary>The option's single value, <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UsageException">The option was given without a value or with several.</exception>
    public string Single(string option, string fallback)
    {
        if (!_options.TryGetValue(option, out var values))
        {
            return fallback;
        }

        return values.Count == 1 ? values[0] : throw new UsageException($"{option} takes one value, not {values.Count}.");
    }
}

/// <summary>A command line the subcommand cannot act on; the message says what is wrong.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
