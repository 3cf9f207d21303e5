package io.herald.security.tls;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Kafka's {@code ssl.principal.mapping.rules}: maps the subject of a client certificate (its X.500 distinguished name
 * in RFC 2253 form, as {@link X500Principal#getName()} gives it, e.g. {@code CN=app,OU=payments,O=Example}) to a
 * principal name.
 *
 * <p>The rules are a comma-separated list, tried in order; the first that matches gives the name:
 *
 * <ul>
 *   <li>{@code DEFAULT}: the whole distinguished name.
 *   <li>{@code RULE:pattern/replacement/} with an optional {@code L} or {@code U} after the last slash: if the Java
 *       regular expression {@code pattern} matches the whole name, the name with every match of {@code pattern}
 *       replaced by {@code replacement} ({@code $1} for groups), then in lower or upper case. {@code \} escapes a
 *       slash or a comma inside a pattern or replacement; a {@code $n} beyond the pattern's groups is taken literally.
 *       Example: {@code RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L}.
 * </ul>
 *
 * <p>A name that no rule matches fails the authentication ({@link NoMatchingRuleException}), as in Kafka. A connection
 * without a client certificate is {@link #ANONYMOUS}. The replacement is applied as Kafka applies it, with {@code
 * String.replaceAll} over the whole name, so a rule gives the same principal on Herald as on Kafka.
 *
 * <p>Thread-safety: immutable; {@link #name} may be called from any thread.
 */
public final class SslPrincipalMapper {

    /** The principal name of a TLS connection whose client sent no certificate (Kafka's {@code ANONYMOUS}). */
    public static final String ANONYMOUS = "ANONYMOUS";

    private final List<Rule> rules;

    private SslPrincipalMapper(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The mapper of {@code rules} in Kafka's syntax ({@code DEFAULT} if blank).
     *
     * @throws SslConfigException a malformed rule or regular expression, named in the message
     */
    public static SslPrincipalMapper fromRules(String rules) {
        String text = rules == null || rules.isBlank() ? "DEFAULT" : rules.strip();
        return new SslPrincipalMapper(new RuleParser(text).rules());
    }

    /** The principal name of {@code distinguishedName}. */
    public String name(String distinguishedName) throws NoMatchingRuleException {
        for (Rule rule : rules) {
            Optional<String> name = rule.apply(distinguishedName);
            if (name.isPresent()) {
                return name.get();
            }
        }
        throw new NoMatchingRuleException("no rule of " + SslSettings.PRINCIPAL_MAPPING_RULES.name() + " (" + this
                + ") matches the certificate subject " + distinguishedName);
    }

    /**
     * The principal name of the peer of an established session: its certificate subject mapped by the rules, or
     * {@link #ANONYMOUS} if the peer sent no certificate.
     */
    public String principalName(SSLSession session) throws NoMatchingRuleException {
        Principal peer;
        try {
            peer = session.getPeerPrincipal();
        } catch (SSLPeerUnverifiedException e) {
            return ANONYMOUS;
        }
        return peer instanceof X500Principal x500 ? name(x500.getName()) : peer.getName();
    }

    @Override
    public String toString() {
        return rules.stream().map(Rule::toString).collect(Collectors.joining(","));
    }

    /** A certificate subject that no mapping rule matches: the client is not authenticated. */
    public static final class NoMatchingRuleException extends Exception {

        private static final long serialVersionUID = 1L;

        NoMatchingRuleException(String message) {
            super(message);
        }
    }

    /** {@code DEFAULT} ({@code pattern} empty) or one {@code RULE:}. */
    private record Rule(Optional<Pattern> pattern, String replacement, String caseFlag) {

        static final Rule DEFAULT = new Rule(Optional.empty(), "", "");

        Optional<String> apply(String distinguishedName) {
            if (pattern.isEmpty()) {
                return Optional.of(distinguishedName);
            }
            Matcher matcher = pattern.get().matcher(distinguishedName);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            String name = matcher.replaceAll(literalMissingGroups(replacement, matcher.groupCount()));
            return Optional.of(
                    switch (caseFlag) {
                        case "L" -> name.toLowerCase(Locale.ENGLISH);
                        case "U" -> name.toUpperCase(Locale.ENGLISH);
                        default -> name;
                    });
        }

        /** {@code $n} with no group n would make the JDK throw; Kafka takes it literally, and so do we. */
        private static String literalMissingGroups(String replacement, int groups) {
            StringBuilder out = new StringBuilder(replacement.length() + 4);
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\' && i + 1 < replacement.length()) {
                    out.append(c).append(replacement.charAt(++i));
                } else if (c == '$'
                        && i + 1 < replacement.length()
                        && Character.isDigit(replacement.charAt(i + 1))
                        && replacement.charAt(i + 1) - '0' > groups) {
                    out.append("\\$");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return pattern.map(p -> "RULE:" + p.pattern() + "/" + replacement + "/" + caseFlag)
                    .orElse("DEFAULT");
        }
    }

    /** Reads Kafka's rule syntax left to right; slashes and commas inside a rule may be escaped with a backslash. */
    private static final class RuleParser {

        private final String text;
        private int position;

        RuleParser(String text) {
            this.text = text;
        }

        List<Rule> rules() {
            List<Rule> rules = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (position >= text.length()) {
                    return rules;
                }
                int start = position;
                if (text.charAt(position) != ',') { // an empty rule between two commas is ignored, as in Kafka
                    rules.add(rule(start));
                    skipSpaces();
                }
                if (position < text.length()) {
                    if (text.charAt(position) != ',') {
                        throw invalid(start, "unexpected text after the rule");
                    }
                    position++;
                }
            }
        }

        private Rule rule(int start) {
            if (text.startsWith("DEFAULT", position)) {
                position += "DEFAULT".length();
                return Rule.DEFAULT;
            }
            if (!text.startsWith("RULE:", position)) {
                throw invalid(start, "a rule is DEFAULT or RULE:pattern/replacement/[LU]");
            }
            position += "RULE:".length();
            String pattern = untilSlash(start);
            String replacement = untilSlash(start);
            String flag = "";
            if (position < text.length() && (text.charAt(position) == 'L' || text.charAt(position) == 'U')) {
                flag = String.valueOf(text.charAt(position++));
            }
            try {
                return new Rule(Optional.of(Pattern.compile(pattern)), replacement, flag);
            } catch (PatternSyntaxException e) {
                throw new SslConfigException(SslSettings.PRINCIPAL_MAPPING_RULES.name()
                        + ": invalid regular expression " + pattern + ": " + e.getDescription());
            }
        }

        /** The text up to the next unescaped slash (escapes kept, for the regex engine), consuming the slash. */
        private String untilSlash(int ruleStart) {
            int from = position;
            while (position < text.length() && text.charAt(position) != '/') {
                position += text.charAt(position) == '\\' ? 2 : 1;
            }
            if (position >= text.length()) {
                throw invalid(ruleStart, "missing '/': a rule is RULE:pattern/replacement/[LU]");
            }
            return text.substring(from, position++);
        }

        private void skipSpaces() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private SslConfigException invalid(int start, String why) {
            return new SslConfigException(SslSettings.PRINCIPAL_MAPPING_RULES.name() + ": invalid rule at '"
                    + text.substring(start) + "': " + why);
        }
    }
}
