package io.herald.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled JMS message selector (Jakarta Messaging 3.1 section 3.8.1): the SQL-92 conditional expression subset,
 * with literals (strings, exact and approximate numbers, TRUE/FALSE), identifiers (the selectable JMS headers,
 * JMSX and provider properties, application properties), parentheses, NOT/AND/OR with three-valued logic, the
 * comparisons {@code = <> < <= > >=}, arithmetic {@code + - * /} (unary too), {@code [NOT] BETWEEN}, {@code [NOT]
 * IN}, {@code [NOT] LIKE ... [ESCAPE]} and {@code IS [NOT] NULL}.
 *
 * <p>A record is selected only when the expression is TRUE: FALSE and UNKNOWN (a missing property, a type mismatch)
 * both reject it, as the spec says.
 *
 * <p>The broker evaluates it when a share-group member acquires records; the JMS provider when a {@code QueueBrowser}
 * enumerates a queue without acquiring anything. Both see a record through {@link JmsRecordValues}.
 *
 * <p>Thread-safety: immutable; {@link #matches} may be called concurrently.
 */
public final class MessageSelector {

    /** A node of the expression: evaluates to Boolean, Long, Double, String or null (UNKNOWN / NULL). */
    private interface Node {
        Object eval(SelectorValues v);
    }

    private final String text;
    private final Node root;

    private MessageSelector(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Compiles {@code selector}.
     *
     * @throws InvalidSelectorException naming what is wrong and where
     */
    public static MessageSelector parse(String selector) {
        Parser p = new Parser(selector);
        Node root = p.conditional();
        if (p.peek().kind != Kind.END) {
            throw p.error("unexpected " + p.peek().text);
        }
        return new MessageSelector(selector, root);
    }

    public boolean matches(SelectorValues view) {
        return Boolean.TRUE.equals(root.eval(view));
    }

    public String text() {
        return text;
    }

    /** A selector that does not parse. */
    public static final class InvalidSelectorException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSelectorException(String message) {
            super(message);
        }
    }

    // ---- tokens -------------------------------------------------------------------------------------------------

    private enum Kind {
        IDENT,
        STRING,
        LONG,
        DOUBLE,
        OP,
        KEYWORD,
        END
    }

    private record Token(Kind kind, String text, int pos) {}

    private static final Set<String> KEYWORDS =
            Set.of("AND", "OR", "NOT", "BETWEEN", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE", "ESCAPE");

    /** JMS headers a selector may name (3.8.1.1); other JMS-prefixed names are neither headers nor properties. */
    private static final Set<String> HEADERS =
            Set.of("JMSDeliveryMode", "JMSPriority", "JMSMessageID", "JMSTimestamp", "JMSCorrelationID", "JMSType");

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder();
                int start = i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new InvalidSelectorException("Unterminated string at " + start + " in: " + s);
                    }
                    if (s.charAt(i) == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            b.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(s.charAt(i++));
                }
                out.add(new Token(Kind.STRING, b.toString(), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                boolean approx = false;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i < s.length() && s.charAt(i) == '.') {
                    approx = true;
                    i++;
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    approx = true;
                    i++;
                    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                }
                if (i < s.length() && (s.charAt(i) == 'l' || s.charAt(i) == 'L') && !approx) {
                    i++;
                    out.add(new Token(Kind.LONG, s.substring(start, i - 1), start));
                    continue;
                }
                if (i < s.length() && "fFdD".indexOf(s.charAt(i)) >= 0) {
                    i++;
                    out.add(new Token(Kind.DOUBLE, s.substring(start, i - 1), start));
                    continue;
                }
                out.add(new Token(approx ? Kind.DOUBLE : Kind.LONG, s.substring(start, i), start));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                String upper = word.toUpperCase(Locale.ROOT);
                out.add(
                        KEYWORDS.contains(upper)
                                ? new Token(Kind.KEYWORD, upper, start)
                                : new Token(Kind.IDENT, word, start));
            } else {
                int start = i;
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<>") || two.equals("<=") || two.equals(">=")) {
                    out.add(new Token(Kind.OP, two, start));
                    i += 2;
                } else if ("=<>+-*/(),".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OP, String.valueOf(c), start));
                    i++;
                } else {
                    throw new InvalidSelectorException("Unexpected character '" + c + "' at " + i + " in: " + s);
                }
            }
        }
        out.add(new Token(Kind.END, "end of selector", s.length()));
        return out;
    }

    // ---- parser -------------------------------------------------------------------------------------------------

    /** What a node yields, as far as the parser can tell (identifiers can be anything). */
    private enum Type {
        BOOLEAN,
        NUMBER,
        STRING,
        ANY
    }

    private record Typed(Node node, Type type) {}

    private static final class Parser {
        private final String source;
        private final List<Token> tokens;
        private int pos;

        Parser(String source) {
            if (source == null || source.isBlank()) {
                throw new InvalidSelectorException("The selector is empty");
            }
            this.source = source;
            this.tokens = tokenize(source);
        }

        Token peek() {
            return tokens.get(pos);
        }

        Token next() {
            Token t = tokens.get(pos);
            if (t.kind != Kind.END) {
                pos++;
            }
            return t;
        }

        boolean accept(Kind kind, String text) {
            Token t = peek();
            if (t.kind == kind && t.text.equals(text)) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(Kind kind, String text) {
            if (!accept(kind, text)) {
                throw error("expected " + text + " but found " + peek().text);
            }
        }

        InvalidSelectorException error(String what) {
            return new InvalidSelectorException(
                    "Invalid selector at position " + peek().pos + ": " + what + " in: " + source);
        }

        Node conditional() {
            Typed t = or();
            if (t.type == Type.NUMBER || t.type == Type.STRING) {
                throw error("the selector is not a conditional expression");
            }
            return t.node;
        }

        Typed or() {
            Typed left = and();
            while (accept(Kind.KEYWORD, "OR")) {
                Node l = bool(left);
                Node r = bool(and());
                left = new Typed(v -> orOf(l.eval(v), r.eval(v)), Type.BOOLEAN);
            }
            return left;
        }

        Typed and() {
            Typed left = not();
            while (accept(Kind.KEYWORD, "AND")) {
                Node l = bool(left);
                Node r = bool(not());
                left = new Typed(v -> andOf(l.eval(v), r.eval(v)), Type.BOOLEAN);
            }
            return left;
        }

        Typed not() {
            if (accept(Kind.KEYWORD, "NOT")) {
                Node inner = bool(not());
                return new Typed(
                        v -> {
                            Object b = inner.eval(v);
                            return b instanceof Boolean x ? !x : null;
                        },
                        Type.BOOLEAN);
            }
            return comparison();
        }

        Node bool(Typed t) {
            if (t.type == Type.NUMBER || t.type == Type.STRING) {
                throw error("a " + t.type.name().toLowerCase(Locale.ROOT) + " where a condition is needed");
            }
            return t.node;
        }

        Typed comparison() {
            int identPos = pos;
            Typed left = additive();
            boolean single = pos - identPos == 1 && tokens.get(identPos).kind == Kind.IDENT;
            Token t = peek();
            if (t.kind == Kind.OP && Set.of("=", "<>", "<", ">", "<=", ">=").contains(t.text)) {
                next();
                Typed right = additive();
                checkComparable(left, right, t.text);
                Node l = left.node;
                Node r = right.node;
                String op = t.text;
                return new Typed(v -> compare(l.eval(v), r.eval(v), op), Type.BOOLEAN);
            }
            boolean negate = false;
            if (t.kind == Kind.KEYWORD && t.text.equals("NOT")) {
                Token after = tokens.get(pos + 1);
                if (after.kind == Kind.KEYWORD
                        && Set.of("BETWEEN", "IN", "LIKE").contains(after.text)) {
                    next();
                    negate = true;
                    t = peek();
                }
            }
            if (accept(Kind.KEYWORD, "BETWEEN")) {
                Typed low = additive();
                expect(Kind.KEYWORD, "AND");
                Typed high = additive();
                numeric(left);
                numeric(low);
                numeric(high);
                Node x = left.node;
                Node lo = low.node;
                Node hi = high.node;
                boolean neg = negate;
                return new Typed(
                        v -> {
                            Object xv = x.eval(v);
                            // NOT BETWEEN is "x < lo OR x > hi" (JMS 3.8.1.1), also for a non-number x (FALSE)
                            return neg
                                    ? orOf(compare(xv, lo.eval(v), "<"), compare(xv, hi.eval(v), ">"))
                                    : andOf(compare(xv, lo.eval(v), ">="), compare(xv, hi.eval(v), "<="));
                        },
                        Type.BOOLEAN);
            }
            if (accept(Kind.KEYWORD, "IN")) {
                String ident = identifierAt(identPos, single, "IN");
                expect(Kind.OP, "(");
                List<String> values = new ArrayList<>();
                do {
                    Token s = next();
                    if (s.kind != Kind.STRING) {
                        throw error("IN takes string literals, found " + s.text);
                    }
                    values.add(s.text);
                } while (accept(Kind.OP, ","));
                expect(Kind.OP, ")");
                boolean neg = negate;
                return new Typed(
                        v -> {
                            Object x = v.value(ident);
                            if (!(x instanceof String sx)) {
                                return null;
                            }
                            return values.contains(sx) != neg;
                        },
                        Type.BOOLEAN);
            }
            if (accept(Kind.KEYWORD, "LIKE")) {
                String ident = identifierAt(identPos, single, "LIKE");
                Token pattern = next();
                if (pattern.kind != Kind.STRING) {
                    throw error("LIKE takes a string pattern");
                }
                Character escape = null;
                if (accept(Kind.KEYWORD, "ESCAPE")) {
                    Token e = next();
                    if (e.kind != Kind.STRING || e.text.length() != 1) {
                        throw error("ESCAPE takes one character");
                    }
                    escape = e.text.charAt(0);
                }
                Pattern regex = likePattern(pattern.text, escape);
                boolean neg = negate;
                return new Typed(
                        v -> {
                            Object x = v.value(ident);
                            if (!(x instanceof String sx)) {
                                return null;
                            }
                            return regex.matcher(sx).matches() != neg;
                        },
                        Type.BOOLEAN);
            }
            if (negate) {
                throw error("NOT must be followed by BETWEEN, IN or LIKE here");
            }
            if (accept(Kind.KEYWORD, "IS")) {
                boolean not = accept(Kind.KEYWORD, "NOT");
                expect(Kind.KEYWORD, "NULL");
                String ident = identifierAt(identPos, single, "IS NULL");
                return new Typed(v -> (v.value(ident) == null) != not, Type.BOOLEAN);
            }
            return left;
        }

        private String identifierAt(int at, boolean single, String op) {
            if (!single) {
                throw error(op + " needs an identifier on its left");
            }
            return tokens.get(at).text;
        }

        private void numeric(Typed t) {
            if (t.type == Type.STRING || t.type == Type.BOOLEAN) {
                throw error("BETWEEN needs numbers");
            }
        }

        private void checkComparable(Typed l, Typed r, String op) {
            if (l.type != Type.ANY && r.type != Type.ANY && l.type != r.type) {
                throw error("cannot compare a " + l.type + " with a " + r.type);
            }
            boolean ordered = !op.equals("=") && !op.equals("<>");
            if (ordered
                    && (l.type == Type.STRING
                            || r.type == Type.STRING
                            || l.type == Type.BOOLEAN
                            || r.type == Type.BOOLEAN)) {
                throw error("strings and booleans compare only with = and <>");
            }
        }

        Typed additive() {
            Typed left = multiplicative();
            while (peek().kind == Kind.OP
                    && (peek().text.equals("+") || peek().text.equals("-"))) {
                String op = next().text;
                Typed right = multiplicative();
                left = arithmetic(left, right, op);
            }
            return left;
        }

        Typed multiplicative() {
            Typed left = unary();
            while (peek().kind == Kind.OP
                    && (peek().text.equals("*") || peek().text.equals("/"))) {
                String op = next().text;
                Typed right = unary();
                left = arithmetic(left, right, op);
            }
            return left;
        }

        private Typed arithmetic(Typed l, Typed r, String op) {
            if (l.type == Type.STRING || l.type == Type.BOOLEAN || r.type == Type.STRING || r.type == Type.BOOLEAN) {
                throw error("arithmetic needs numbers");
            }
            Node a = l.node;
            Node b = r.node;
            return new Typed(v -> arith(a.eval(v), b.eval(v), op), Type.NUMBER);
        }

        Typed unary() {
            if (accept(Kind.OP, "-")) {
                Typed t = unary();
                if (t.type == Type.STRING || t.type == Type.BOOLEAN) {
                    throw error("unary minus needs a number");
                }
                Node n = t.node;
                return new Typed(v -> arith(0L, n.eval(v), "-"), Type.NUMBER);
            }
            if (accept(Kind.OP, "+")) {
                Typed t = unary();
                if (t.type == Type.STRING || t.type == Type.BOOLEAN) {
                    throw error("unary plus needs a number");
                }
                return t;
            }
            return primary();
        }

        Typed primary() {
            Token t = next();
            switch (t.kind) {
                case STRING:
                    return new Typed(v -> t.text, Type.STRING);
                case LONG:
                    try {
                        long n = Long.parseLong(t.text);
                        return new Typed(v -> n, Type.NUMBER);
                    } catch (NumberFormatException e) {
                        throw error("number out of range: " + t.text);
                    }
                case DOUBLE:
                    double d = Double.parseDouble(t.text);
                    return new Typed(v -> d, Type.NUMBER);
                case KEYWORD:
                    if (t.text.equals("TRUE")) {
                        return new Typed(v -> Boolean.TRUE, Type.BOOLEAN);
                    }
                    if (t.text.equals("FALSE")) {
                        return new Typed(v -> Boolean.FALSE, Type.BOOLEAN);
                    }
                    if (t.text.equals("NULL")) {
                        throw error("NULL is only allowed in IS [NOT] NULL");
                    }
                    throw error("unexpected " + t.text);
                case IDENT:
                    if (t.text.startsWith("JMS")
                            && !t.text.startsWith("JMSX")
                            && !t.text.startsWith("JMS_")
                            && !HEADERS.contains(t.text)) {
                        throw error(t.text + " cannot be used in a selector (JMS 3.8.1.1)");
                    }
                    String name = t.text;
                    return new Typed(v -> v.value(name), Type.ANY);
                case OP:
                    if (t.text.equals("(")) {
                        Typed inner = or();
                        expect(Kind.OP, ")");
                        return inner;
                    }
                    throw error("unexpected " + t.text);
                default:
                    throw error("unexpected end of selector");
            }
        }
    }

    // ---- evaluation ---------------------------------------------------------------------------------------------

    private static Object andOf(Object a, Object b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        if (Boolean.TRUE.equals(a) && Boolean.TRUE.equals(b)) {
            return true;
        }
        return null;
    }

    private static Object orOf(Object a, Object b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        if (Boolean.FALSE.equals(a) && Boolean.FALSE.equals(b)) {
            return false;
        }
        return null;
    }

    private static Object compare(Object a, Object b, String op) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number x && b instanceof Number y) {
            int c = (x instanceof Long && y instanceof Long)
                    ? Long.compare(x.longValue(), y.longValue())
                    : Double.compare(x.doubleValue(), y.doubleValue());
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case ">" -> c > 0;
                case "<=" -> c <= 0;
                default -> c >= 0;
            };
        }
        if ((a instanceof String && b instanceof String) || (a instanceof Boolean && b instanceof Boolean)) {
            return switch (op) {
                case "=" -> a.equals(b);
                case "<>" -> !a.equals(b);
                default -> null;
            };
        }
        // Unlike types (a String and a number, say) compare as FALSE, not UNKNOWN (JMS 3.8.1.1): NOT (s = 1) is TRUE
        // for s = '1'.
        return false;
    }

    private static Object arith(Object a, Object b, String op) {
        if (!(a instanceof Number x) || !(b instanceof Number y)) {
            return null;
        }
        if (x instanceof Long && y instanceof Long) {
            long l = x.longValue();
            long r = y.longValue();
            return switch (op) {
                case "+" -> l + r;
                case "-" -> l - r;
                case "*" -> l * r;
                default -> r == 0 ? null : l / r;
            };
        }
        double l = x.doubleValue();
        double r = y.doubleValue();
        return switch (op) {
            case "+" -> l + r;
            case "-" -> l - r;
            case "*" -> l * r;
            default -> l / r;
        };
    }

    private static Pattern likePattern(String pattern, Character escape) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
