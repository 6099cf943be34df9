using System.Collections.Immutable;
using System.Text;
using DPSynth.Diagnostics;

namespace DPSynth.Schema;

/// <summary>
/// Parses the text of one constraint of a schema's <c>constraints</c> list (docs/schema-reference.md, "Constraints"):
/// <code>
/// constraint := condition "when" condition ("and" condition)*
/// condition  := name "is" ["not"] "missing"
///             | name ("=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") value
///             | name ["not"] "in" "{" value ("," value)* "}"
/// name, value := a word (no spaces, none of = ! &lt; &gt; { } , ") or a "double-quoted text" (\" and \\ inside)
/// </code>
/// Keywords are lower case and are keywords only where the grammar expects one, so a column may be called
/// <c>when</c>. Errors name what was expected and where (an offset into the text).
/// </summary>
internal static class ConstraintParser
{
    /// <summary>The parsed constraint, or null with <paramref name="error"/> at <paramref name="offset"/>.</summary>
    public static ConstraintSyntax? Parse(string text, out string error, out int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var reader = new Reader(Tokenize(text));
            var then = reader.Condition();
            reader.Keyword("when", Messages.ConstraintExpectedWhen);
            var when = ImmutableArray.CreateBuilder<ConditionSyntax>();
            when.Add(reader.Condition());
            while (reader.TryKeyword("and"))
            {
                when.Add(reader.Condition());
            }

            reader.End();
            (error, offset) = (string.Empty, 0);
            return new ConstraintSyntax(then, when.ToImmutable());
        }
        catch (SyntaxException ex)
        {
            (error, offset) = (ex.Message, ex.Offset);
            return null;
        }
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, i));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (c is '{' or '}' or ',')
            {
                tokens.Add(new Token(c == '{' ? TokenKind.Open : c == '}' ? TokenKind.Close : TokenKind.Comma, c.ToString(), start));
                i++;
            }
            else if (c is '=' or '<' or '>' or '!')
            {
                i++;
                if (i < text.Length && text[i] == '=' && c != '=')
                {
                    i++;
                }
                else if (c == '!')
                {
                    throw new SyntaxException(Messages.ConstraintUnexpected("!"), start);
                }

                tokens.Add(new Token(TokenKind.Operator, text[start..i], start));
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.Quoted, Quoted(text, ref i), start));
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])
                       && text[i] is not ('{' or '}' or ',' or '=' or '<' or '>' or '!' or '"'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
        }
    }

    private static string Quoted(string text, ref int i)
    {
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
            {
                i++;
            }

            value.Append(text[i++]);
        }

        if (i == text.Length)
        {
            throw new SyntaxException(Messages.ConstraintUnclosedQuote, start);
        }

        i++;
        return value.ToString();
    }

    private enum TokenKind
    {
        Word,
        Quoted,
        Operator,
        Open,
        Close,
        Comma,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Offset)
    {
        public bool IsName => Kind is TokenKind.Word or TokenKind.Quoted;

        public bool Is(string keyword) => Kind == TokenKind.Word && Text == keyword;

        /// <summary>The token's text for a message, or null at the end of the text.</summary>
        public string? Found => Kind == TokenKind.End ? null : Text;
    }

    private sealed class Reader(List<Token> tokens)
    {
        private int next;

        private Token Peek => tokens[next];

        public ConditionSyntax Condition()
        {
            var column = Peek;
            if (!column.IsName)
            {
                throw new SyntaxException(Messages.ConstraintExpectedColumn(column.Found), column.Offset);
            }

            next++;
            var op = Peek;
            next++;
            if (op.Is("is"))
            {
                var negated = TryKeyword("not");
                Keyword("missing", Messages.ConstraintExpectedMissing);
                var missing = negated ? ConditionOperator.IsNotMissing : ConditionOperator.IsMissing;
                return new ConditionSyntax(column.Text, column.Offset, missing, []);
            }

            if (op.Is("in") || (op.Is("not") && Peek.Is("in")))
            {
                var negated = op.Is("not");
                if (negated)
                {
                    next++;
                }

                return new ConditionSyntax(column.Text, column.Offset, negated ? ConditionOperator.NotIn : ConditionOperator.In, Set());
            }

            ConditionOperator? compare = op.Kind != TokenKind.Operator ? null : op.Text switch
            {
                "=" => ConditionOperator.Equal,
                "!=" => ConditionOperator.NotEqual,
                "<" => ConditionOperator.Less,
                "<=" => ConditionOperator.LessOrEqual,
                ">" => ConditionOperator.Greater,
                ">=" => ConditionOperator.GreaterOrEqual,
                _ => null,
            };
            if (compare is not { } kind)
            {
                throw new SyntaxException(Messages.ConstraintExpectedOperator(column.Text, op.Found), op.Offset);
            }

            return new ConditionSyntax(column.Text, column.Offset, kind, [Value(op.Text)]);
        }

        public void Keyword(string keyword, Func<string?, string> message)
        {
            if (!TryKeyword(keyword))
            {
                throw new SyntaxException(message(Peek.Found), Peek.Offset);
            }
        }

        public bool TryKeyword(string keyword)
        {
            if (!Peek.Is(keyword))
            {
                return false;
            }

            next++;
            return true;
        }

        public void End()
        {
            if (Peek.Kind != TokenKind.End)
            {
                throw new SyntaxException(Messages.ConstraintTrailingText(Peek.Found), Peek.Offset);
            }
        }

        private ImmutableArray<(string, int)> Set()
        {
            if (Peek.Kind != TokenKind.Open)
            {
                throw new SyntaxException(Messages.ConstraintExpectedSet(Peek.Found), Peek.Offset);
            }

            next++;
            var values = ImmutableArray.CreateBuilder<(string, int)>();
            values.Add(Value("{"));
            while (Peek.Kind == TokenKind.Comma)
            {
                next++;
                values.Add(Value(","));
            }

            if (Peek.Kind != TokenKind.Close)
            {
                throw new SyntaxException(Messages.ConstraintExpectedSetEnd(Peek.Found), Peek.Offset);
            }

            next++;
            return values.ToImmutable();
        }

        private (string, int) Value(string after)
        {
            var value = Peek;
            if (!value.IsName)
            {
                throw new SyntaxException(Messages.ConstraintExpectedValue(after, value.Found), value.Offset);
            }

            next++;
            return (value.Text, value.Offset);
        }
    }

    /// <summary>A syntax error at an offset of the text; caught in <see cref="Parse"/>, never leaves this class.</summary>
    private sealed class SyntaxException(string message, int offset) : Exception(message)
    {
        public int Offset { get; } = offset;
    }
}
