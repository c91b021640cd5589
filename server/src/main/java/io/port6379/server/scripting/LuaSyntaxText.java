// Lua 5.1's wording of compile errors: LuaJ drops the "near 'token'" part, which is found again here.
package io.port6379.server.scripting;

import org.luaj.vm2.LuaError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lua 5.1 ends a syntax error with the token it stopped at: {@code user_script:1: '=' expected near 'x'},
 * {@code 'end' expected near '<eof>'}. LuaJ's parser computes that text and then throws the message without it,
 * and it parses Lua 5.2, whose texts differ in two common places: a bare expression as a statement is a
 * {@code syntax error} where 5.1 expected {@code '='}, and {@code goto} is a keyword where 5.1 reads a name.
 *
 * <p>The token is found by compiling prefixes of the script. The parser stops at the first token that cannot
 * continue what came before; a prefix that ends just before that token is incomplete and, followed by a few
 * blank lines and a character no Lua program may contain, fails on the line of that character. So the first
 * prefix, token by token, that fails on the line of its own last token ends with the token the error was near;
 * none means the error was at the end of the script ({@code <eof>}). Only compile errors pay for this, a few
 * compilations of a short script; longer scripts than {@link #MAX_TOKENS} tokens keep LuaJ's text.
 */
final class LuaSyntaxText {

    /** Compiles a script, throwing LuaJ's error when it does not compile. */
    interface Compiler {
        void compile(byte[] source);
    }

    static final int MAX_TOKENS = 2000;
    private static final Pattern POSITION = Pattern.compile("^([^:]+):(\\d+): (.*)$", Pattern.DOTALL);
    private static final Pattern GOTO = Pattern.compile("no visible label '(.*)' for <goto> at line \\d+");
    private static final Pattern UNEXPECTED = Pattern.compile("unexpected symbol (\\d+) \\(.*\\)", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]+|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final String SENTINEL = "\n\n\n@";
    /** LuaJ's token codes: below this, a character; this one, the end of the script. */
    private static final int FIRST_RESERVED = 257;
    private static final int TK_EOS = 286;

    private LuaSyntaxText() {
    }

    /** Lua 5.1's text for {@code message} ({@code chunk:line: text}), raised compiling {@code source}. */
    static String of(String message, byte[] source, Compiler compiler) {
        Matcher m = POSITION.matcher(message);
        if (!m.matches()) {
            return message;
        }
        String where = m.group(1) + ":" + m.group(2) + ": ";
        String text = m.group(3);
        Matcher label = GOTO.matcher(text);
        if (label.matches()) {
            return where + "'=' expected near '" + label.group(1) + "'";
        }
        Matcher unexpected = UNEXPECTED.matcher(text);
        if (unexpected.matches()) { // LuaJ names the token by its code: "unexpected symbol 286 (...)"
            int code = Integer.parseInt(unexpected.group(1));
            if (code == TK_EOS) {
                return where + "unexpected symbol near '<eof>'";
            }
            if (code < FIRST_RESERVED) {
                return where + "unexpected symbol near '" + (char) code + "'";
            }
            text = "unexpected symbol";
        }
        text = text.replace("'<eos>' expected", "'<eof>' expected");
        if (text.contains(" near ")) {
            return where + text;
        }
        if (text.equals("syntax error")) {
            text = "'=' expected";
        }
        List<Token> tokens = tokens(source);
        if (tokens == null) {
            return where + text;
        }
        if (text.contains("NumberFormatException")) { // LuaJ's lexer lets Java's number parser fail
            for (Token token : tokens) {
                char first = token.text.charAt(0);
                if ((Character.isDigit(first) || first == '.' && token.text.length() > 1) && !NUMBER.matcher(token.text).matches()) {
                    return where + "malformed number near '" + token.text + "'";
                }
            }
        }
        if (text.startsWith("unfinished")) {
            Token open = tokens.stream().filter(Token::unfinished).findFirst().orElse(null);
            return where + text + " near '" + (open != null && open.end < source.length ? open.text : "<eof>") + "'";
        }
        String near = near(source, tokens, compiler);
        return near == null ? where + text : where + text + " near '" + near + "'";
    }

    private static String near(byte[] source, List<Token> tokens, Compiler compiler) {
        if (tokens.size() > MAX_TOKENS) {
            return null;
        }
        byte[] sentinel = SENTINEL.getBytes(StandardCharsets.ISO_8859_1);
        for (Token token : tokens) {
            byte[] prefix = new byte[token.end + sentinel.length];
            System.arraycopy(source, 0, prefix, 0, token.end);
            System.arraycopy(sentinel, 0, prefix, token.end, sentinel.length);
            try {
                compiler.compile(prefix);
            } catch (LuaError e) {
                Matcher m = POSITION.matcher(String.valueOf(e.getMessage()));
                if (m.matches() && Integer.parseInt(m.group(2)) == token.line) {
                    return token.text;
                }
            }
        }
        return "<eof>";
    }

    /** A token of the script: its text (as Lua 5.1 quotes it), line, and where it ends. */
    private record Token(String text, int line, int end, boolean unfinished) {
    }

    /** The script's tokens, comments and blanks left out; null for bytes this simple lexer does not follow. */
    private static List<Token> tokens(byte[] s) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = s.length;
        while (i < n) {
            char c = (char) (s[i] & 0xff);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 11) {
                i++;
            } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
                int level = i + 2 < n && s[i + 2] == '[' ? longBracket(s, i + 2) : -1;
                if (level >= 0) {
                    int close = closeLong(s, i + 2 + level + 2, level);
                    for (int k = i; k < Math.min(close, n); k++) {
                        line += s[k] == '\n' ? 1 : 0;
                    }
                    i = close;
                } else {
                    while (i < n && s[i] != '\n') {
                        i++;
                    }
                }
            } else if (c == '[' && longBracket(s, i) >= 0) {
                int level = longBracket(s, i);
                int close = closeLong(s, i + level + 2, level);
                int start = i;
                int startLine = line;
                for (int k = i; k < Math.min(close, n); k++) {
                    line += s[k] == '\n' ? 1 : 0;
                }
                out.add(new Token(text(s, start, Math.min(close, n)), startLine, Math.min(close, n), close > n));
                i = close;
            } else if (c == '"' || c == '\'') {
                int start = i++;
                boolean closed = false;
                while (i < n && s[i] != '\n') {
                    if (s[i] == '\\' && i + 1 < n) {
                        i += 2;
                        continue;
                    }
                    if (s[i++] == c) {
                        closed = true;
                        break;
                    }
                }
                out.add(new Token(text(s, start, i), line, i, !closed));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s[i + 1]))) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s[i]) || s[i] == '.' || s[i] == '_'
                        || ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E')))) {
                    i++;
                }
                out.add(new Token(text(s, start, i), line, i, false));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s[i]) || s[i] == '_')) {
                    i++;
                }
                out.add(new Token(text(s, start, i), line, i, false));
            } else if (c < 32 || c > 126) {
                return null;
            } else {
                int length = 1;
                String three = i + 3 <= n ? text(s, i, i + 3) : "";
                String two = i + 2 <= n ? text(s, i, i + 2) : "";
                if (three.equals("...")) {
                    length = 3;
                } else if (List.of("==", "~=", "<=", ">=", "..", "::").contains(two)) {
                    length = 2;
                }
                out.add(new Token(text(s, i, i + length), line, i + length, false));
                i += length;
            }
        }
        return out;
    }

    /** The level of a long bracket opening at {@code i} ({@code [[} is 0, {@code [==[} is 2), or -1. */
    static int longBracket(byte[] s, int i) {
        int k = i + 1;
        while (k < s.length && s[k] == '=') {
            k++;
        }
        return k < s.length && s[k] == '[' ? k - i - 1 : -1;
    }

    /** Just after the long bracket of {@code level} that closes from {@code from}; past the end when none does. */
    static int closeLong(byte[] s, int from, int level) {
        for (int i = from; i < s.length; i++) {
            if (s[i] == ']') {
                int k = i + 1;
                while (k < s.length && s[k] == '=') {
                    k++;
                }
                if (k < s.length && s[k] == ']' && k - i - 1 == level) {
                    return k + 1;
                }
            }
        }
        return s.length + 1;
    }

    private static String text(byte[] s, int from, int to) {
        return new String(s, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
