using DPSynth.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

/// <summary>
/// Loads YAML text (a policy or a schema) into YamlDotNet's representation model, within bounds checked on the
/// parser's event stream before the model sees each event. The model is built, compared and printed by recursion, one
/// stack frame per level, so a document nested 50,000 deep overflowed the stack and killed the process (issue 14); and
/// an alias stands for its whole anchored node, so a few lines of nested aliases (the "billion laughs") expand to
/// billions of nodes when the model is walked. The parser itself keeps its own state on the heap and is safe to run.
/// Explicit tags are refused on the same events: the readers look keys up by their plain text and ignore a value's tag,
/// so <c>!!str epsilon: 4</c> beside <c>epsilon: 1</c> was a second key that YamlDotNet kept apart from the first (the
/// tag makes it another node) and the reader silently ignored, and <c>epsilon: !!str 1</c> was read as a number.
/// </summary>
internal static class YamlLoader
{
    /// <summary>
    /// The deepest nesting of mappings and sequences accepted: a policy or schema needs 5 levels at most, so 64 leaves
    /// room for any hand-written file while keeping the recursion a few kilobytes of stack.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most nodes a document may hold, each alias counted as the nodes it stands for: a schema at the largest
    /// domain DPSynth accepts needs far fewer, and walking a million nodes takes well under a second.
    /// </summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>
    /// The documents in <paramref name="reader"/>, or null after recording the problem (a syntax error, a duplicate key,
    /// a bound passed) at its line and column in <paramref name="fields"/>.
    /// </summary>
    public static YamlStream? Load(TextReader reader, YamlFieldReader fields)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new BoundedParser(new Parser(reader)));
            return stream;
        }
        catch (BoundPassedException ex)
        {
            fields.Error(ex.Start, ex.Message);
            return null;
        }
        catch (YamlException ex)
        {
            // Syntax errors and duplicate keys; the parser's message says what it expected.
            fields.Error(ex.Start, Messages.YamlSyntax(ex.Message));
            return null;
        }
    }

    /// <summary>A bound of this class was passed (a message of our own, not a syntax error).</summary>
    private sealed class BoundPassedException(Mark start, Mark end, string message) : YamlException(start, end, message);

    /// <summary>The parser's events, passed on one at a time once each is within the bounds.</summary>
    private sealed class BoundedParser(IParser inner) : IParser
    {
        private readonly Stack<(long Start, string? Anchor)> open = new();
        private readonly Dictionary<string, long> anchored = new(StringComparer.Ordinal);
        private long nodes;

        public ParsingEvent Current => inner.Current!;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            if (inner.Current is NodeEvent { Tag.IsEmpty: false } tagged)
            {
                throw new BoundPassedException(tagged.Start, tagged.End, Messages.YamlTagRefused(tagged.Tag.Value));
            }

            switch (inner.Current)
            {
                case NodeEvent { NestingIncrease: > 0 } start:
                    if (open.Count == MaxDepth)
                    {
                        throw new BoundPassedException(start.Start, start.End, Messages.YamlTooDeep(MaxDepth));
                    }

                    open.Push((nodes, AnchorOf(start)));
                    Count(start, 1);
                    break;
                case MappingEnd or SequenceEnd:
                    var (first, anchor) = open.Pop();
                    Remember(anchor, nodes - first);
                    break;
                case Scalar scalar:
                    Count(scalar, 1);
                    Remember(AnchorOf(scalar), 1);
                    break;
                case AnchorAlias alias:
                    // An alias inside the node its anchor names (`&k [*k]`) makes a cycle, which YamlDotNet follows
                    // without end (a stack overflow, which no handler can catch): refuse it.
                    if (open.Any(o => o.Anchor == alias.Value.Value))
                    {
                        throw new BoundPassedException(alias.Start, alias.End, Messages.YamlAliasCycle);
                    }

                    // An alias to an unknown anchor is the parser's error to report; count it as one node meanwhile.
                    Count(alias, anchored.GetValueOrDefault(alias.Value.Value, 1));
                    break;
            }

            return true;
        }

        private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

        private void Count(ParsingEvent at, long count)
        {
            nodes += count;
            if (nodes > MaxNodes)
            {
                throw new BoundPassedException(at.Start, at.End, Messages.YamlTooManyNodes(MaxNodes));
            }
        }

        private void Remember(string? anchor, long size)
        {
            if (anchor is not null)
            {
                anchored[anchor] = size;
            }
        }
    }
}
