// Lua 5.1's grammar, checked before LuaJ compiles a script: what 5.1 refuses is refused with 5.1's words.
package io.port6379.server.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * LuaJ parses Lua 5.2, which accepts programs that Redis's Lua 5.1 refuses: {@code goto} and {@code ::labels::},
 * empty statements ({@code ;;}), a {@code break} followed by more statements, a call whose {@code (} starts a new
 * line. So every script is first read by this recognizer, a transcription of Lua 5.1's {@code llex.c} and
 * {@code lparser.c} without the code generation: the same tokens, the same recursive descent, the same checks and
 * the same error texts ({@code user_script:2: 'end' expected near 'x'}, {@code unexpected symbol near ':'}), on
 * the line the 5.1 lexer had reached. A script it accepts is compiled by LuaJ.
 *
 * <p>Lua 5.1's lexer also reads string escapes differently: {@code \x41} and {@code \z} are not escapes in 5.1
 * (the backslash is dropped: {@code "x41"}), and Debian's Lua 5.1, which redis-server 7.0.15 runs on, is built
 * without {@code LUA_COMPAT_LSTR}: a {@code [[} inside a long string is plain text, where LuaJ refuses it. So
 * {@link #forLuaJ} hands LuaJ the source with those backslashes removed and such a string's brackets widened.
 */
final class Lua51Syntax {

    // Token codes as llex.h numbers them: single characters are their byte, reserved words follow.
    private static final int FIRST_RESERVED = 257;
    private static final String[] RESERVED = {"and", "break", "do", "else", "elseif", "end", "false", "for",
        "function", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"};
    private static final int TK_AND = 257;
    private static final int TK_BREAK = 258;
    private static final int TK_DO = 259;
    private static final int TK_ELSE = 260;
    private static final int TK_ELSEIF = 261;
    private static final int TK_END = 262;
    private static final int TK_FALSE = 263;
    private static final int TK_FOR = 264;
    private static final int TK_FUNCTION = 265;
    private static final int TK_IF = 266;
    private static final int TK_IN = 267;
    private static final int TK_LOCAL = 268;
    private static final int TK_NIL = 269;
    private static final int TK_NOT = 270;
    private static final int TK_OR = 271;
    private static final int TK_REPEAT = 272;
    private static final int TK_RETURN = 273;
    private static final int TK_THEN = 274;
    private static final int TK_TRUE = 275;
    private static final int TK_UNTIL = 276;
    private static final int TK_WHILE = 277;
    private static final int TK_CONCAT = 278;
    private static final int TK_DOTS = 279;
    private static final int TK_EQ = 280;
    private static final int TK_GE = 281;
    private static final int TK_LE = 282;
    private static final int TK_NE = 283;
    private static final int TK_NUMBER = 284;
    private static final int TK_NAME = 285;
    private static final int TK_STRING = 286;
    private static final int TK_EOS = 287;
    private static final String[] OTHER = {"..", "...", "==", ">=", "<=", "~=", "<number>", "<name>", "<string>",
        "<eof>"};
    private static final int EOZ = -1;
    /** LUAI_MAXCCALLS: how deep blocks and expressions may nest while parsing. */
    private static final int MAX_LEVELS = 200;
    /** LUAI_MAXVARS: active local variables per function. */
    private static final int MAX_VARS = 200;
    private static final int UNARY_PRIORITY = 8;

    /** A syntax error, its text complete ({@code user_script:1: ... near '...'}). */
    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /** Per function being parsed: whether it takes {@code ...}, its active locals, its enclosing loops. */
    private static final class FuncState {
        final FuncState prev;
        final int lineDefined;
        boolean vararg;
        int activeVars;
        int loops;

        FuncState(FuncState prev, int lineDefined) {
            this.prev = prev;
            this.lineDefined = lineDefined;
        }
    }

    private final byte[] z;
    private final String chunk;
    private int pos;
    private int current;
    private int lineNumber = 1;
    private int lastLine = 1;
    private int token;
    private int lookahead = TK_EOS;
    private boolean hasLookahead;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private String tokenText = "";
    private String lookaheadText = "";
    private int levels;
    private FuncState fs;
    /** Where the token lex() returned last starts, and the current token and the lookahead. */
    private int lexStart;
    private int tokenStart;
    private int lookaheadStart;

    private Lua51Syntax(byte[] source, String chunk) {
        this.z = source;
        this.chunk = chunk;
        this.current = source.length > 0 ? source[0] & 0xff : EOZ;
    }

    /**
     * Lua 5.1's error text for {@code source} ({@code chunk:line: message}), or null when 5.1 compiles it.
     * Complexity: O(n) in the length of the script.
     */
    static String check(byte[] source, String chunk) {
        Lua51Syntax parser = new Lua51Syntax(source, chunk);
        try {
            parser.mainFunction();
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        }
    }

    /**
     * {@code luaO_chunkid}: how an error names a chunk. {@code =name} is the name itself, {@code @file} the file's
     * name (its end, when long), any other text {@code [string "its first line..."]}; Debian's LUA_IDSIZE is 80.
     */
    static String chunkId(String source) {
        int size = 80;
        if (source.startsWith("=")) {
            return source.substring(1, Math.min(source.length(), size));
        }
        if (source.startsWith("@")) {
            String file = source.substring(1);
            int room = size - " '...' ".length() - 1;
            return file.length() > room ? "..." + file.substring(file.length() - room) : file;
        }
        int zero = source.indexOf('\0');
        String text = zero >= 0 ? source.substring(0, zero) : source;
        int length = 0;
        while (length < text.length() && text.charAt(length) != '\n' && text.charAt(length) != '\r') {
            length++;
        }
        length = Math.min(length, size - " [string \"...\"] ".length() - 1);
        return length < text.length() ? "[string \"" + text.substring(0, length) + "...\"]" : "[string \"" + text + "\"]";
    }

    /**
     * {@code source} as LuaJ must read it to see what Lua 5.1 sees: strings without the {@code \x} and {@code \z}
     * escapes 5.1 does not know, and a {@code [[...]]} holding {@code [[} (which LuaJ refuses) with longer brackets.
     */
    static byte[] forLuaJ(byte[] source) {
        return lexical(source);
    }

    // tag::goto[]
    /**
     * Lua 5.1 has no {@code goto} statement: {@code goto} is a name like any other ({@code t:goto()},
     * {@code local goto}, {@code function t.goto()}), while LuaJ, a Lua 5.2, reserves it. LuaJ's lexer looks each
     * name up in one table of reserved words ({@code LexState.RESERVED}, keyed by the word as a Lua string); taken
     * out of it, {@code goto} is read as a name everywhere, and LuaJ's parser never meets a goto statement. A
     * label ({@code ::name::}), Lua 5.2's other half of goto, never reaches LuaJ: {@link #check} refuses it as 5.1
     * does. Called before LuaJ compiles the first script; the table is LuaJ's, shared by the whole JVM.
     */
    static void unreserveGoto() {
        try {
            java.lang.reflect.Field reserved = org.luaj.vm2.compiler.LexState.class.getDeclaredField("RESERVED");
            reserved.setAccessible(true);
            ((java.util.Map<?, ?>) reserved.get(null)).remove(org.luaj.vm2.LuaValue.valueOf("goto"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LuaJ's lexer has no table of reserved words", e);
        }
    }
    // end::goto[]

    private static byte[] lexical(byte[] source) {
        ByteArrayOutputStream out = null;
        int i = 0;
        int n = source.length;
        int copied = 0;
        while (i < n) {
            int c = source[i];
            int bracket = c == '[' ? i : c == '-' && i + 2 < n && source[i + 1] == '-' && source[i + 2] == '[' ? i + 2 : -1;
            if (bracket >= 0 && LuaSyntaxText.longBracket(source, bracket) >= 0) {
                int level = LuaSyntaxText.longBracket(source, bracket);
                int close = LuaSyntaxText.closeLong(source, bracket + level + 2, level);
                if (level == 0 && close <= n && indexOf(source, bracket + 2, close - 2, "[[") >= 0) {
                    int wider = 1;
                    while (indexOf(source, bracket + 2, close - 2, "]" + "=".repeat(wider) + "]") >= 0) {
                        wider++;
                    }
                    if (out == null) {
                        out = new ByteArrayOutputStream(n + 8);
                    }
                    String equals = "=".repeat(wider);
                    out.write(source, copied, bracket - copied);
                    out.writeBytes(("[" + equals + "[").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(source, bracket + 2, close - 2 - (bracket + 2));
                    out.writeBytes(("]" + equals + "]").getBytes(StandardCharsets.ISO_8859_1));
                    copied = close;
                }
                i = Math.min(close, n);
            } else if (c == '-' && i + 1 < n && source[i + 1] == '-') {
                i = lineEnd(source, i);
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source[i] != c && source[i] != '\n' && source[i] != '\r') {
                    if (source[i] == '\\' && i + 1 < n) {
                        if (source[i + 1] == 'x' || source[i + 1] == 'z') {
                            if (out == null) {
                                out = new ByteArrayOutputStream(n);
                            }
                            out.write(source, copied, i - copied);
                            copied = i + 1; // the backslash is left out
                        }
                        i += 2;
                    } else {
                        i++;
                    }
                }
                i++;
            } else {
                i++;
            }
        }
        if (out == null) {
            return source;
        }
        out.write(source, copied, n - copied);
        return out.toByteArray();
    }

    private static int indexOf(byte[] s, int from, int to, String what) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = from; i + w.length <= to; i++) {
            int k = 0;
            while (k < w.length && s[i + k] == w[k]) {
                k++;
            }
            if (k == w.length) {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] s, int i) {
        while (i < s.length && s[i] != '\n' && s[i] != '\r') {
            i++;
        }
        return i;
    }

    // ---- llex.c ----

    private void next() {
        pos++;
        current = pos < z.length ? z[pos] & 0xff : EOZ;
    }

    private void save(int c) {
        buffer.write(c);
    }

    private void saveAndNext() {
        save(current);
        next();
    }

    private boolean currIsNewline() {
        return current == '\n' || current == '\r';
    }

    private void incLineNumber() {
        int old = current;
        next();
        if (currIsNewline() && current != old) {
            next();
        }
        lineNumber++;
    }

    private String token2str(int t) {
        if (t < FIRST_RESERVED) {
            return t < 32 || t == 127 ? "char(" + t + ")" : String.valueOf((char) t);
        }
        return t <= TK_WHILE ? RESERVED[t - FIRST_RESERVED] : OTHER[t - TK_CONCAT];
    }

    private String txtToken(int t) {
        return t == TK_NAME || t == TK_STRING || t == TK_NUMBER ? bufferText() : token2str(t);
    }

    private String bufferText() {
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@code luaX_lexerror}: the position, the message, and the token it was near (none for 0). */
    private SyntaxError lexError(String message, int t) {
        String text = chunk + ":" + lineNumber + ": " + message;
        if (t != 0) {
            text += " near '" + txtToken(t) + "'";
        }
        return new SyntaxError(text);
    }

    private SyntaxError syntaxError(String message) {
        return lexError(message, token);
    }

    /** {@code luaX_next}: the lookahead if there is one, else the next token. */
    private void nextToken() {
        lastLine = lineNumber;
        if (hasLookahead) {
            hasLookahead = false;
            token = lookahead;
            tokenStart = lookaheadStart;
            tokenText = lookaheadText;
            buffer.reset();
            buffer.writeBytes(tokenText.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            token = lex();
            tokenStart = lexStart;
            tokenText = bufferText();
        }
    }

    private int lookaheadToken() {
        String saved = tokenText;
        lookahead = lex();
        lookaheadStart = lexStart;
        lookaheadText = bufferText();
        hasLookahead = true;
        buffer.reset();
        buffer.writeBytes(saved.getBytes(StandardCharsets.ISO_8859_1));
        return lookahead;
    }

    private int lex() {
        buffer.reset();
        for (;;) {
            lexStart = pos;
            switch (current) {
                case '\n', '\r' -> incLineNumber();
                case '-' -> {
                    next();
                    if (current != '-') {
                        return '-';
                    }
                    next();
                    if (current == '[') {
                        int sep = skipSep();
                        buffer.reset();
                        if (sep >= 0) {
                            readLongString(false, sep);
                            buffer.reset();
                            continue;
                        }
                    }
                    while (!currIsNewline() && current != EOZ) {
                        next();
                    }
                }
                case '[' -> {
                    int sep = skipSep();
                    if (sep >= 0) {
                        readLongString(true, sep);
                        return TK_STRING;
                    } else if (sep == -1) {
                        return '[';
                    } else {
                        throw lexError("invalid long string delimiter", TK_STRING);
                    }
                }
                case '=' -> {
                    next();
                    if (current != '=') {
                        return '=';
                    }
                    next();
                    return TK_EQ;
                }
                case '<' -> {
                    next();
                    if (current != '=') {
                        return '<';
                    }
                    next();
                    return TK_LE;
                }
                case '>' -> {
                    next();
                    if (current != '=') {
                        return '>';
                    }
                    next();
                    return TK_GE;
                }
                case '~' -> {
                    next();
                    if (current != '=') {
                        return '~';
                    }
                    next();
                    return TK_NE;
                }
                case '"', '\'' -> {
                    readString(current);
                    return TK_STRING;
                }
                case '.' -> {
                    saveAndNext();
                    if (checkNext(".")) {
                        return checkNext(".") ? TK_DOTS : TK_CONCAT;
                    } else if (!isDigit(current)) {
                        return '.';
                    }
                    readNumeral();
                    return TK_NUMBER;
                }
                case EOZ -> {
                    return TK_EOS;
                }
                default -> {
                    if (isSpace(current)) {
                        next();
                    } else if (isDigit(current)) {
                        readNumeral();
                        return TK_NUMBER;
                    } else if (isAlpha(current) || current == '_') {
                        do {
                            saveAndNext();
                        } while (isAlnum(current) || current == '_');
                        String name = bufferText();
                        for (int r = 0; r < RESERVED.length; r++) {
                            if (RESERVED[r].equals(name)) {
                                return FIRST_RESERVED + r;
                            }
                        }
                        return TK_NAME;
                    } else {
                        int c = current;
                        next();
                        return c;
                    }
                }
            }
        }
    }

    private boolean checkNext(String set) {
        if (current == EOZ || set.indexOf(current) < 0) {
            return false;
        }
        saveAndNext();
        return true;
    }

    private void readNumeral() {
        do {
            saveAndNext();
        } while (isDigit(current) || current == '.');
        if (checkNext("Ee")) {
            checkNext("+-");
        }
        while (isAlnum(current) || current == '_') {
            saveAndNext();
        }
        if (!isNumber(bufferText())) {
            throw lexError("malformed number", TK_NUMBER);
        }
    }

    /** {@code luaO_str2d}: C's strtod (decimal or hexadecimal, glibc's), else strtoul for {@code 0x...}. */
    private static boolean isNumber(String s) {
        return s.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")
                || s.matches("0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    }

    /** {@code skip_sep}: the level of a long bracket ({@code [==[} is 2); -1 for a lone bracket. */
    private int skipSep() {
        int count = 0;
        int s = current;
        saveAndNext();
        while (current == '=') {
            saveAndNext();
            count++;
        }
        return current == s ? count : -count - 1;
    }

    private void readLongString(boolean string, int sep) {
        saveAndNext(); // the second '['
        if (currIsNewline()) {
            incLineNumber();
        }
        for (;;) {
            switch (current) {
                case EOZ -> throw lexError(string ? "unfinished long string" : "unfinished long comment", TK_EOS);
                case ']' -> {
                    if (skipSep() == sep) {
                        saveAndNext();
                        return;
                    }
                }
                case '\n', '\r' -> {
                    save('\n');
                    incLineNumber();
                    if (!string) {
                        buffer.reset();
                    }
                }
                default -> {
                    if (string) {
                        saveAndNext();
                    } else {
                        next();
                    }
                }
            }
        }
    }

    private void readString(int delimiter) {
        saveAndNext();
        while (current != delimiter) {
            switch (current) {
                case EOZ -> throw lexError("unfinished string", TK_EOS);
                case '\n', '\r' -> throw lexError("unfinished string", TK_STRING);
                case '\\' -> {
                    next();
                    int c;
                    switch (current) {
                        case 'a' -> c = 7;
                        case 'b' -> c = '\b';
                        case 'f' -> c = '\f';
                        case 'n' -> c = '\n';
                        case 'r' -> c = '\r';
                        case 't' -> c = '\t';
                        case 'v' -> c = 11;
                        case '\n', '\r' -> {
                            save('\n');
                            incLineNumber();
                            continue;
                        }
                        case EOZ -> {
                            continue; // the loop ends with "unfinished string"
                        }
                        default -> {
                            if (!isDigit(current)) {
                                saveAndNext(); // \\, \", \' and any other character stand for themselves
                            } else {
                                int i = 0;
                                c = 0;
                                do {
                                    c = 10 * c + (current - '0');
                                    next();
                                } while (++i < 3 && isDigit(current));
                                if (c > 255) {
                                    throw lexError("escape sequence too large", TK_STRING);
                                }
                                save(c);
                            }
                            continue;
                        }
                    }
                    save(c);
                    next();
                }
                default -> saveAndNext();
            }
        }
        saveAndNext();
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAlnum(int c) {
        return isAlpha(c) || isDigit(c);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == 11 || c == '\f';
    }

    // ---- lparser.c ----

    private void errorExpected(int t) {
        throw syntaxError("'" + token2str(t) + "' expected");
    }

    private boolean testNext(int c) {
        if (token == c) {
            nextToken();
            return true;
        }
        return false;
    }

    private void check(int c) {
        if (token != c) {
            errorExpected(c);
        }
    }

    private void checkNextToken(int c) {
        check(c);
        nextToken();
    }

    private void checkMatch(int what, int who, int where) {
        if (!testNext(what)) {
            if (where == lineNumber) {
                errorExpected(what);
            } else {
                throw syntaxError("'" + token2str(what) + "' expected (to close '" + token2str(who)
                        + "' at line " + where + ")");
            }
        }
    }

    private void checkName() {
        check(TK_NAME);
        nextToken();
    }

    private void enterLevel() {
        if (++levels > MAX_LEVELS) {
            throw lexError("chunk has too many syntax levels", 0);
        }
    }

    private void newLocals(int n) {
        if (fs.activeVars + n > MAX_VARS) {
            String message = fs.lineDefined == 0 ? "main function has more than " + MAX_VARS + " local variables"
                    : "function at line " + fs.lineDefined + " has more than " + MAX_VARS + " local variables";
            throw lexError(message, 0);
        }
    }

    private static boolean blockFollow(int t) {
        return t == TK_ELSE || t == TK_ELSEIF || t == TK_END || t == TK_UNTIL || t == TK_EOS;
    }

    private void mainFunction() {
        fs = new FuncState(null, 0);
        fs.vararg = true;
        nextToken();
        chunk();
        check(TK_EOS);
    }

    private void chunk() {
        boolean last = false;
        enterLevel();
        while (!last && !blockFollow(token)) {
            last = statement();
            testNext(';');
        }
        levels--;
    }

    /** A block keeps the locals declared in it to itself. */
    private void block() {
        int active = fs.activeVars;
        chunk();
        fs.activeVars = active;
    }

    private void loopBlock() {
        fs.loops++;
        block();
        fs.loops--;
    }

    private boolean statement() {
        int line = lineNumber;
        switch (token) {
            case TK_IF -> ifStat(line);
            case TK_WHILE -> {
                nextToken();
                expr();
                checkNextToken(TK_DO);
                loopBlock();
                checkMatch(TK_END, TK_WHILE, line);
            }
            case TK_DO -> {
                nextToken();
                block();
                checkMatch(TK_END, TK_DO, line);
            }
            case TK_FOR -> forStat(line);
            case TK_REPEAT -> {
                nextToken();
                int active = fs.activeVars;
                fs.loops++;
                chunk();
                checkMatch(TK_UNTIL, TK_REPEAT, line);
                expr(); // the condition sees the loop body's locals
                fs.loops--;
                fs.activeVars = active;
            }
            case TK_FUNCTION -> {
                nextToken();
                checkName();
                while (token == '.') {
                    nextToken();
                    checkName();
                }
                boolean method = false;
                if (token == ':') {
                    method = true;
                    nextToken();
                    checkName();
                }
                body(method, line);
            }
            case TK_LOCAL -> {
                nextToken();
                if (testNext(TK_FUNCTION)) {
                    checkName();
                    newLocals(1);
                    fs.activeVars++;
                    body(false, lineNumber);
                } else {
                    int count = 0;
                    do {
                        checkName();
                        newLocals(++count);
                    } while (testNext(','));
                    if (testNext('=')) {
                        exprList();
                    }
                    fs.activeVars += count;
                }
            }
            case TK_RETURN -> {
                nextToken();
                if (!blockFollow(token) && token != ';') {
                    exprList();
                }
                return true;
            }
            case TK_BREAK -> {
                nextToken();
                if (fs.loops == 0) {
                    throw syntaxError("no loop to break");
                }
                return true;
            }
            default -> exprStat();
        }
        return false;
    }

    private void ifStat(int line) {
        do { // IF or ELSEIF cond THEN block
            nextToken();
            expr();
            checkNextToken(TK_THEN);
            block();
        } while (token == TK_ELSEIF);
        if (testNext(TK_ELSE)) {
            block();
        }
        checkMatch(TK_END, TK_IF, line);
    }

    private void forStat(int line) {
        int active = fs.activeVars;
        nextToken();
        checkName();
        switch (token) {
            case '=' -> {
                newLocals(4); // three hidden control variables, then the loop's variable
                nextToken();
                expr();
                checkNextToken(',');
                expr();
                if (testNext(',')) {
                    expr();
                }
                forBody(4);
            }
            case ',', TK_IN -> {
                newLocals(4);
                int names = 1;
                while (testNext(',')) {
                    checkName();
                    newLocals(3 + ++names);
                }
                checkNextToken(TK_IN);
                exprList();
                forBody(3 + names);
            }
            default -> throw syntaxError("'=' or 'in' expected");
        }
        checkMatch(TK_END, TK_FOR, line);
        fs.activeVars = active;
    }

    /** The loop's control variables (three hidden ones, then the named ones), then {@code do block}. */
    private void forBody(int locals) {
        fs.activeVars += locals;
        checkNextToken(TK_DO);
        loopBlock();
    }

    private void body(boolean method, int line) {
        FuncState function = new FuncState(fs, line);
        fs = function;
        if (method) {
            fs.activeVars++;
        }
        checkNextToken('(');
        if (token != ')') {
            do {
                switch (token) {
                    case TK_NAME -> {
                        nextToken();
                        newLocals(1);
                        fs.activeVars++;
                    }
                    case TK_DOTS -> {
                        nextToken();
                        newLocals(1); // LUA_COMPAT_VARARG's hidden local 'arg'
                        fs.activeVars++;
                        fs.vararg = true;
                    }
                    default -> throw syntaxError("<name> or '...' expected");
                }
            } while (!fs.vararg && testNext(','));
        }
        checkNextToken(')');
        chunk();
        checkMatch(TK_END, TK_FUNCTION, line);
        fs = function.prev;
    }

    private void exprList() {
        expr();
        while (testNext(',')) {
            expr();
        }
    }

    /** What a primary expression turned out to be: assignable, a call, or neither. */
    private enum Kind { VARIABLE, CALL, VALUE }

    private void exprStat() {
        Kind kind = primaryExp();
        if (kind != Kind.CALL) {
            assignment(kind);
        }
    }

    private void assignment(Kind kind) {
        Kind target = kind;
        for (;;) {
            if (target != Kind.VARIABLE) {
                throw syntaxError("syntax error");
            }
            if (!testNext(',')) {
                break;
            }
            target = primaryExp();
        }
        checkNextToken('=');
        exprList();
    }

    private Kind prefixExp() {
        switch (token) {
            case '(' -> {
                int line = lineNumber;
                nextToken();
                expr();
                checkMatch(')', '(', line);
                return Kind.VALUE;
            }
            case TK_NAME -> {
                nextToken();
                return Kind.VARIABLE;
            }
            default -> throw syntaxError("unexpected symbol");
        }
    }

    private Kind primaryExp() {
        Kind kind = prefixExp();
        for (;;) {
            switch (token) {
                case '.' -> {
                    nextToken();
                    checkName();
                    kind = Kind.VARIABLE;
                }
                case '[' -> {
                    nextToken();
                    expr();
                    checkNextToken(']');
                    kind = Kind.VARIABLE;
                }
                case ':' -> {
                    nextToken();
                    checkName();
                    funcArgs();
                    kind = Kind.CALL;
                }
                case '(', TK_STRING, '{' -> {
                    funcArgs();
                    kind = Kind.CALL;
                }
                default -> {
                    return kind;
                }
            }
        }
    }

    private void funcArgs() {
        int line = lineNumber;
        switch (token) {
            case '(' -> {
                if (line != lastLine) {
                    throw syntaxError("ambiguous syntax (function call x new statement)");
                }
                nextToken();
                if (token != ')') {
                    exprList();
                }
                checkMatch(')', '(', line);
            }
            case '{' -> constructor();
            case TK_STRING -> nextToken();
            default -> throw syntaxError("function arguments expected");
        }
    }

    private void constructor() {
        int line = lineNumber;
        checkNextToken('{');
        do {
            if (token == '}') {
                break;
            }
            switch (token) {
                case TK_NAME -> {
                    if (lookaheadToken() != '=') {
                        expr();
                    } else {
                        recField();
                    }
                }
                case '[' -> recField();
                default -> expr();
            }
        } while (testNext(',') || testNext(';'));
        checkMatch('}', '{', line);
    }

    private void recField() {
        if (token == TK_NAME) {
            checkName();
        } else {
            nextToken();
            expr();
            checkNextToken(']');
        }
        checkNextToken('=');
        expr();
    }

    private void simpleExp() {
        switch (token) {
            case TK_NUMBER, TK_STRING, TK_NIL, TK_TRUE, TK_FALSE -> nextToken();
            case TK_DOTS -> {
                if (!fs.vararg) {
                    throw syntaxError("cannot use '...' outside a vararg function");
                }
                nextToken();
            }
            case '{' -> constructor();
            case TK_FUNCTION -> {
                nextToken();
                body(false, lineNumber); // the line after the keyword, as lparser.c counts it
            }
            default -> primaryExp();
        }
    }

    private void expr() {
        subExpr(0);
    }

    /** {@code subexpr}: unary operators bind at 8; each binary operator's left and right priorities. */
    private int subExpr(int limit) {
        enterLevel();
        if (token == TK_NOT || token == '-' || token == '#') {
            nextToken();
            subExpr(UNARY_PRIORITY);
        } else {
            simpleExp();
        }
        int op = token;
        int left = leftPriority(op);
        while (left > limit) {
            nextToken();
            op = subExpr(rightPriority(op));
            left = leftPriority(op);
        }
        levels--;
        return op;
    }

    private static int leftPriority(int op) {
        return switch (op) {
            case '+', '-' -> 6;
            case '*', '/', '%' -> 7;
            case '^' -> 10;
            case TK_CONCAT -> 5;
            case TK_EQ, TK_NE, '<', TK_LE, '>', TK_GE -> 3;
            case TK_AND -> 2;
            case TK_OR -> 1;
            default -> 0;
        };
    }

    private static int rightPriority(int op) {
        return switch (op) {
            case '^' -> 9;
            case TK_CONCAT -> 4;
            default -> leftPriority(op);
        };
    }
}
