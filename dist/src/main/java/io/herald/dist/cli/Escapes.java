package io.herald.dist.cli;

/**
 * Backslash escapes in separators and templates given on the command line, where a tab or a newline is awkward to
 * type: {@code \t}, {@code \n}, {@code \r} and {@code \\}. Any other backslash stays as it is.
 *
 * <p>Thread-safety: stateless.
 */
final class Escapes {

    private Escapes() {}

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(i + 1);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                default -> {
                    out.append(c);
                    continue;
                }
            }
            i++;
        }
        return out.toString();
    }
}
