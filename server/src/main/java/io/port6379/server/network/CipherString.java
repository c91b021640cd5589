// OpenSSL's cipher strings (tls-ciphers: "HIGH:!aNULL:!MD5", "ECDHE+AESGCM") evaluated over the JDK's suites.
package io.port6379.server.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Redis hands {@code tls-ciphers} to OpenSSL's {@code SSL_CTX_set_cipher_list}; the JDK wants a list of IANA suite
 * names. This class is OpenSSL's rule language run over the JDK's TLS 1.2-and-older suites:
 *
 * <ul>
 * <li>Elements are separated by {@code :} (or space, comma, semicolon). An element is a suite's OpenSSL name
 * ({@code ECDHE-RSA-AES128-GCM-SHA256}, see {@link Suite#openSslName}) or a keyword from the table in
 * {@link #KEYWORDS} ({@code HIGH}, {@code aNULL}, {@code kECDHE}, {@code AESGCM}, {@code SHA256}, {@code TLSv1.2}
 * ...), or several joined by {@code +}, which selects the suites all of them match ({@code ECDHE+AESGCM}).
 * IANA names select nothing, as in OpenSSL 3.0.</li>
 * <li>No prefix adds the matching suites not yet in the list at its end; {@code -} takes them out (a later element
 * may add them again); {@code !} takes them out for good; {@code +} moves those in the list to its end;
 * {@code @STRENGTH} sorts the list by cipher key length, longest first; {@code @SECLEVEL=n} is accepted and ignored
 * (it restricts key sizes, not suites). A keyword OpenSSL does not know selects nothing.</li>
 * <li>{@code DEFAULT}, as the first element, is OpenSSL 3.0's default list, {@code ALL:!COMPLEMENTOFDEFAULT:!eNULL}.
 * {@code ALL} is every suite but those without encryption; {@code COMPLEMENTOFDEFAULT} is what OpenSSL marks as not
 * in its default: DSS authentication, anonymous exchanges, CCM, CAMELLIA, ARIA, 3DES, RC4.</li>
 * </ul>
 *
 * <p>The suites selected are those OpenSSL would select, restricted to the ones the JDK supports (CipherStringTest checks
 * this against the {@code openssl ciphers} command for a table of strings). The rules start from OpenSSL's order of
 * preference for the suites of its {@code DEFAULT} list ({@link #preferenceOrder}), then the JDK's for the others, so
 * {@code DEFAULT} (what Redis uses without {@code tls-ciphers}) and the strings that select among its suites come out
 * in OpenSSL's order; a string that also selects suites outside it (DSS, CCM) may place those elsewhere than OpenSSL.
 * The order matters only with {@code tls-prefer-server-ciphers yes}, and {@code +} and {@code @STRENGTH} reorder as
 * in OpenSSL.
 */
final class CipherString {

    /**
     * OpenSSL 3.0's {@code DEFAULT} list of TLS 1.2 suites in its order ({@code openssl ciphers -stdname DEFAULT}),
     * less those the JDK does not implement (PSK and SRP): strength first (AES-256 GCM, ChaCha20, AES-128 GCM, then
     * the CBC suites), ECDHE before DHE, ECDSA before RSA authentication, and RSA key exchange last.
     */
    private static final List<String> OPENSSL_DEFAULT_ORDER = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA");

    private CipherString() {
    }

    /**
     * The order the rules start from: the suites of OpenSSL's {@code DEFAULT} list that the JDK supports, in
     * OpenSSL's order, then the JDK's {@code defaults} in the JDK's order, then the rest of {@code supported}.
     */
    static List<String> preferenceOrder(List<String> supported, List<String> defaults) {
        Set<String> order = new java.util.LinkedHashSet<>();
        OPENSSL_DEFAULT_ORDER.stream().filter(supported::contains).forEach(order::add);
        order.addAll(defaults);
        order.addAll(supported);
        order.retainAll(supported);
        return List.copyOf(order);
    }

    /**
     * What OpenSSL knows of a suite, read from its IANA name {@code TLS_<exchange>_<authentication>_WITH_<cipher>_<mac>}.
     * {@code exchange} is RSA, DHE or ECDHE; {@code authentication} RSA, DSS, ECDSA or NULL (anonymous);
     * {@code cipher} AES, AESGCM, AESCCM, AESCCM8, CHACHA20, CAMELLIA, ARIA, 3DES, RC4 or NULL with its key length
     * in {@code bits}; {@code mac} SHA1, SHA256, SHA384, MD5 or AEAD; {@code minimumProtocol} the oldest protocol it
     * runs on, as OpenSSL's {@code min_tls} (SSLv3, TLSv1 or TLSv1.2).
     */
    record Suite(String iana, String exchange, String authentication, String cipher, int bits, String mac,
                 String minimumProtocol) {

        boolean high() {
            return List.of("AES", "AESGCM", "AESCCM", "AESCCM8", "CHACHA20", "CAMELLIA", "ARIA").contains(cipher);
        }

        boolean medium() {
            return cipher.equals("3DES") || cipher.equals("RC4");
        }

        boolean inOpenSslDefault() {
            return !authentication.equals("DSS") && !authentication.equals("NULL") && !cipher.equals("NULL")
                    && !List.of("AESCCM", "AESCCM8", "CAMELLIA", "ARIA", "3DES", "RC4").contains(cipher);
        }

        /** OpenSSL's name: {@code ECDHE-RSA-AES128-GCM-SHA256}, {@code DHE-RSA-AES256-SHA}, {@code AES128-SHA256}. */
        String openSslName() {
            String prefix = switch (exchange + "_" + authentication) {
                case "RSA_RSA" -> "";
                case "DHE_NULL" -> "ADH-";
                case "ECDHE_NULL" -> "AECDH-";
                default -> exchange + "-" + authentication + "-";
            };
            String bits = cipher.equals("3DES") || cipher.equals("CHACHA20") || cipher.equals("NULL")
                    ? "" : String.valueOf(this.bits);
            String body = switch (cipher) {
                case "AESGCM" -> "AES" + bits + "-GCM-" + (iana.endsWith("SHA384") ? "SHA384" : "SHA256");
                case "AESCCM" -> "AES" + bits + "-CCM";
                case "AESCCM8" -> "AES" + bits + "-CCM8";
                case "CHACHA20" -> "CHACHA20-POLY1305";
                case "3DES" -> "DES-CBC3-" + macName();
                case "NULL" -> "NULL-" + macName();
                case "RC4" -> "RC4-" + macName();
                default -> cipher + bits + "-" + macName();
            };
            return prefix + body;
        }

        private String macName() {
            return mac.equals("SHA1") ? "SHA" : mac;
        }
    }

    /** The suite {@code iana} names, or null for one OpenSSL's rules cannot describe (TLS 1.3 suites, signalling ones). */
    static Suite describe(String iana) {
        int with = iana.indexOf("_WITH_");
        if (!iana.startsWith("TLS_") || with < 0) {
            return null;
        }
        String exchange;
        String authentication;
        switch (iana.substring(4, with)) {
            case "RSA" -> { exchange = "RSA"; authentication = "RSA"; }
            case "ECDHE_ECDSA" -> { exchange = "ECDHE"; authentication = "ECDSA"; }
            case "ECDHE_RSA" -> { exchange = "ECDHE"; authentication = "RSA"; }
            case "DHE_RSA" -> { exchange = "DHE"; authentication = "RSA"; }
            case "DHE_DSS" -> { exchange = "DHE"; authentication = "DSS"; }
            case "DH_anon" -> { exchange = "DHE"; authentication = "NULL"; }
            case "ECDH_anon" -> { exchange = "ECDHE"; authentication = "NULL"; }
            default -> { // static (EC)DH, PSK, SRP, KRB5: nothing OpenSSL 3.0 and the JDK share
                return null;
            }
        }
        String rest = iana.substring(with + "_WITH_".length());
        String cipher;
        int bits;
        String mac;
        if (rest.startsWith("CHACHA20_POLY1305")) {
            cipher = "CHACHA20";
            bits = 256;
            mac = "AEAD";
        } else if (rest.startsWith("3DES_EDE_CBC_")) {
            cipher = "3DES";
            bits = 112;
            mac = rest.substring("3DES_EDE_CBC_".length());
        } else if (rest.startsWith("RC4_128_")) {
            cipher = "RC4";
            bits = 128;
            mac = rest.substring("RC4_128_".length());
        } else if (rest.startsWith("NULL_")) {
            cipher = "NULL";
            bits = 0;
            mac = rest.substring("NULL_".length());
        } else {
            String[] parts = rest.split("_"); // AES_128_GCM_SHA256, AES_256_CBC_SHA, AES_128_CCM_8, CAMELLIA_128_CBC_SHA
            if (parts.length < 3 || !List.of("AES", "CAMELLIA", "ARIA").contains(parts[0])) {
                return null;
            }
            bits = Integer.parseInt(parts[1]);
            switch (parts[2]) {
                case "GCM" -> { cipher = parts[0].equals("AES") ? "AESGCM" : parts[0]; mac = "AEAD"; }
                case "CCM" -> { cipher = parts.length == 4 && parts[3].equals("8") ? "AESCCM8" : "AESCCM"; mac = "AEAD"; }
                case "CBC" -> { cipher = parts[0]; mac = parts.length == 4 ? parts[3] : "?"; }
                default -> {
                    return null;
                }
            }
        }
        if (mac.equals("SHA")) {
            mac = "SHA1";
        }
        String minimum = !mac.equals("SHA1") && !mac.equals("MD5") ? "TLSv1.2" : exchange.equals("ECDHE") ? "TLSv1" : "SSLv3";
        return new Suite(iana, exchange, authentication, cipher, bits, mac, minimum);
    }

    /** OpenSSL's keywords (its {@code cipher_aliases} table) as predicates on a suite; the table CipherStringTest checks. */
    static final Map<String, Predicate<Suite>> KEYWORDS = Map.ofEntries(
            Map.entry("ALL", s -> !s.cipher().equals("NULL")),
            Map.entry("COMPLEMENTOFALL", s -> s.cipher().equals("NULL")),
            Map.entry("COMPLEMENTOFDEFAULT", s -> !s.inOpenSslDefault() && !s.cipher().equals("NULL")),
            Map.entry("HIGH", Suite::high),
            Map.entry("MEDIUM", Suite::medium),
            Map.entry("eNULL", s -> s.cipher().equals("NULL")),
            Map.entry("NULL", s -> s.cipher().equals("NULL")),
            Map.entry("aNULL", s -> s.authentication().equals("NULL")),
            Map.entry("kRSA", s -> s.exchange().equals("RSA")),
            Map.entry("RSA", s -> s.exchange().equals("RSA")),
            Map.entry("aRSA", s -> s.authentication().equals("RSA")),
            Map.entry("aDSS", s -> s.authentication().equals("DSS")),
            Map.entry("DSS", s -> s.authentication().equals("DSS")),
            Map.entry("aECDSA", s -> s.authentication().equals("ECDSA")),
            Map.entry("ECDSA", s -> s.authentication().equals("ECDSA")),
            Map.entry("kDHE", s -> s.exchange().equals("DHE")),
            Map.entry("kEDH", s -> s.exchange().equals("DHE")),
            Map.entry("DH", s -> s.exchange().equals("DHE")),
            Map.entry("DHE", s -> s.exchange().equals("DHE") && !s.authentication().equals("NULL")),
            Map.entry("EDH", s -> s.exchange().equals("DHE") && !s.authentication().equals("NULL")),
            Map.entry("ADH", s -> s.exchange().equals("DHE") && s.authentication().equals("NULL")),
            Map.entry("kECDHE", s -> s.exchange().equals("ECDHE")),
            Map.entry("kEECDH", s -> s.exchange().equals("ECDHE")),
            Map.entry("ECDH", s -> s.exchange().equals("ECDHE")),
            Map.entry("ECDHE", s -> s.exchange().equals("ECDHE") && !s.authentication().equals("NULL")),
            Map.entry("EECDH", s -> s.exchange().equals("ECDHE") && !s.authentication().equals("NULL")),
            Map.entry("AECDH", s -> s.exchange().equals("ECDHE") && s.authentication().equals("NULL")),
            Map.entry("AES", s -> s.cipher().startsWith("AES")),
            Map.entry("AES128", s -> s.cipher().startsWith("AES") && s.bits() == 128),
            Map.entry("AES256", s -> s.cipher().startsWith("AES") && s.bits() == 256),
            Map.entry("AESGCM", s -> s.cipher().equals("AESGCM")),
            Map.entry("AESCCM", s -> s.cipher().startsWith("AESCCM")),
            Map.entry("AESCCM8", s -> s.cipher().equals("AESCCM8")),
            Map.entry("CHACHA20", s -> s.cipher().equals("CHACHA20")),
            Map.entry("CAMELLIA", s -> s.cipher().equals("CAMELLIA")),
            Map.entry("ARIA", s -> s.cipher().equals("ARIA")),
            Map.entry("3DES", s -> s.cipher().equals("3DES")),
            Map.entry("RC4", s -> s.cipher().equals("RC4")),
            Map.entry("MD5", s -> s.mac().equals("MD5")),
            Map.entry("SHA1", s -> s.mac().equals("SHA1")),
            Map.entry("SHA", s -> s.mac().equals("SHA1")),
            Map.entry("SHA256", s -> s.mac().equals("SHA256")),
            Map.entry("SHA384", s -> s.mac().equals("SHA384")),
            Map.entry("TLSv1.2", s -> s.minimumProtocol().equals("TLSv1.2")),
            Map.entry("TLSv1.0", s -> s.minimumProtocol().equals("TLSv1")),
            Map.entry("TLSv1", s -> s.minimumProtocol().equals("TLSv1")),
            Map.entry("SSLv3", s -> s.minimumProtocol().equals("SSLv3")));

    /**
     * The suites among {@code candidates} (IANA names, in the JDK's order of preference) that {@code rules}
     * selects, in order; empty where OpenSSL answers "no cipher match".
     */
    static List<String> select(String rules, List<String> candidates) {
        List<Suite> universe = new ArrayList<>();
        for (String candidate : candidates) {
            Suite suite = describe(candidate);
            if (suite != null) {
                universe.add(suite);
            }
        }
        Evaluation evaluation = new Evaluation(universe);
        String rest = rules.strip();
        if (rest.startsWith("DEFAULT")) {
            evaluation.apply("ALL:!COMPLEMENTOFDEFAULT:!eNULL");
            rest = rest.substring("DEFAULT".length());
        }
        evaluation.apply(rest);
        return evaluation.active().stream().map(Suite::iana).toList();
    }

    /** OpenSSL's linked list of suites, each active or not, and the ones killed for good. */
    private static final class Evaluation {
        private final LinkedList<Suite> order;
        private final Set<Suite> active = new HashSet<>();
        private final Set<Suite> killed = new HashSet<>();

        Evaluation(List<Suite> universe) {
            this.order = new LinkedList<>(universe);
        }

        void apply(String rules) {
            for (String element : rules.split("[:, ;]+")) {
                if (element.isEmpty()) {
                    continue;
                }
                char operator = element.charAt(0);
                String selector = "!-+".indexOf(operator) >= 0 ? element.substring(1) : element;
                if (selector.equals("@STRENGTH")) {
                    order.sort(Comparator.comparingInt(Suite::bits).reversed()); // stable, as OpenSSL's
                    continue;
                }
                if (selector.startsWith("@")) {
                    continue; // @SECLEVEL=n: key sizes, not suites
                }
                Predicate<Suite> matches = matcher(selector);
                switch (operator) {
                    case '!' -> {
                        order.removeIf(s -> matches.test(s) && killed.add(s));
                        active.removeIf(matches);
                    }
                    case '-' -> {
                        List<Suite> taken = order.stream().filter(s -> active.contains(s) && matches.test(s)).toList();
                        order.removeAll(taken);
                        order.addAll(0, taken);
                        taken.forEach(active::remove);
                    }
                    case '+' -> {
                        List<Suite> moved = order.stream().filter(s -> active.contains(s) && matches.test(s)).toList();
                        order.removeAll(moved);
                        order.addAll(moved);
                    }
                    default -> {
                        List<Suite> added = order.stream().filter(s -> !active.contains(s) && matches.test(s)).toList();
                        order.removeAll(added);
                        order.addAll(added);
                        active.addAll(added);
                    }
                }
            }
        }

        /** The suites {@code selector} names: a suite's OpenSSL name, or keywords joined by {@code +}. */
        private static Predicate<Suite> matcher(String selector) {
            Predicate<Suite> all = s -> true;
            for (String part : selector.split("\\+")) {
                Predicate<Suite> keyword = KEYWORDS.get(part);
                if (keyword == null) {
                    keyword = s -> s.openSslName().equals(part); // case matters, as in OpenSSL
                }
                all = all.and(keyword);
            }
            return all;
        }

        List<Suite> active() {
            return order.stream().filter(active::contains).toList();
        }
    }
}
