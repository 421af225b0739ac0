// A reference implementation of SRX 2.0 rule application, for the
// differential test `segment::srx_reference` (tests/testsuite/segment/).
//
// It shares nothing with bitext's SRX code (src/segment/srx/): the file is read with
// the JDK's DOM parser, and the patterns are compiled and matched by
// java.util.regex, whose syntax and semantics SRX 2.0 prescribes. The
// application follows the specification by the letter, position by position:
//
//   - the language maps are tried in order against the whole language code,
//     case-insensitively; with cascade="yes" (or no cascade attribute, as in
//     OmegaT's files) the rules of every matching map apply, in map order,
//     with cascade="no" only those of the first;
//   - at each position between two characters (code points), the first rule
//     whose beforebreak matches text ending there and whose afterbreak
//     matches text starting there decides: break="yes" (or no attribute)
//     breaks, break="no" does not; where no rule matches there is no break;
//     an empty or missing pattern matches anywhere;
//   - patterns are compiled as OmegaT does, with DOTALL (`.` matches line
//     breaks) and UNICODE_CASE (case-insensitive matching is Unicode-aware);
//     both sides see the whole text (transparent bounds), and `^`, `$`, `\z`
//     anchor at the ends of the text, not of the position (no anchoring
//     bounds).
//
// The text is cut as `bitext segment` cuts it: paragraphs are its non-blank
// lines without surrounding white space; white space after a break stays with
// the segment before it, and a break followed only by white space is dropped.
//
// Usage: java SrxReference RULES.srx LANGUAGE TEXT.txt
// Prints the segments one per line, a blank line between paragraphs.

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public class SrxReference {
    /** One rule: whether it breaks, and its matchers (null: matches anywhere). */
    static final class Rule {
        final boolean breaks;
        final Matcher before;
        final Matcher after;

        Rule(boolean breaks, Matcher before, Matcher after) {
            this.breaks = breaks;
            this.before = before;
            this.after = after;
        }
    }

    static final Pattern WHITE_SPACE = Pattern.compile("\\p{IsWhite_Space}");
    static final Pattern BLANK = Pattern.compile("[\\p{IsWhite_Space}\\x{FEFF}]");

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java SrxReference RULES.srx LANGUAGE TEXT.txt");
            System.exit(2);
        }
        List<Object[]> patterns = new ArrayList<>();
        for (String[] rule : rulesFor(new File(args[0]), args[1])) {
            patterns.add(new Object[] {rule[0].equals("yes"), compile(rule[1]), compile(rule[2])});
        }
        String text = new String(Files.readAllBytes(new File(args[2]).toPath()), StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        boolean first = true;
        for (String line : text.split("\r\n|\r|\n", -1)) {
            String paragraph = trim(line);
            if (paragraph.isEmpty()) {
                continue;
            }
            if (!first) {
                out.print("\n");
            }
            first = false;
            List<Rule> rules = compile(patterns, paragraph);
            for (String segment : split(rules, paragraph)) {
                out.print(segment);
                out.print("\n");
            }
        }
        out.flush();
    }

    /** The rules (break, beforebreak, afterbreak) that apply to `language`, in order. */
    static List<String[]> rulesFor(File srx, String language) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setCoalescing(true);
        factory.setExpandEntityReferences(true);
        Document doc = factory.newDocumentBuilder().parse(srx);
        Element header = first(doc.getDocumentElement(), "header");
        boolean cascade = header == null
                || !header.hasAttribute("cascade")
                || header.getAttribute("cascade").equals("yes");
        Map<String, List<String[]>> languageRules = new LinkedHashMap<>();
        for (Element lr : elements(doc.getDocumentElement(), "languagerule")) {
            List<String[]> rules = new ArrayList<>();
            for (Element rule : elements(lr, "rule")) {
                String breaks = rule.hasAttribute("break") ? rule.getAttribute("break") : "yes";
                rules.add(new String[] {breaks, text(first(rule, "beforebreak")), text(first(rule, "afterbreak"))});
            }
            languageRules.put(lr.getAttribute("languagerulename"), rules);
        }
        List<String[]> rules = new ArrayList<>();
        for (Element map : elements(doc.getDocumentElement(), "languagemap")) {
            Pattern p = Pattern.compile(map.getAttribute("languagepattern"), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            if (p.matcher(language).matches()) {
                rules.addAll(languageRules.get(map.getAttribute("languagerulename")));
                if (!cascade) {
                    break;
                }
            }
        }
        return rules;
    }

    /** A rule pattern as OmegaT compiles it; null for an empty one. */
    static Pattern compile(String pattern) {
        return pattern.isEmpty() ? null : Pattern.compile(pattern, Pattern.DOTALL | Pattern.UNICODE_CASE);
    }

    /** The rules' matchers over `text`. */
    static List<Rule> compile(List<Object[]> patterns, String text) {
        List<Rule> rules = new ArrayList<>();
        for (Object[] p : patterns) {
            rules.add(new Rule((Boolean) p[0], matcher((Pattern) p[1], text), matcher((Pattern) p[2], text)));
        }
        return rules;
    }

    static Matcher matcher(Pattern pattern, String text) {
        if (pattern == null) {
            return null;
        }
        Matcher m = pattern.matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        return m;
    }

    /** The segments of one paragraph. */
    static List<String> split(List<Rule> rules, String text) {
        int[] points = text.codePoints().toArray();
        // UTF-16 offsets of the code point boundaries.
        int[] at = new int[points.length + 1];
        for (int i = 0; i < points.length; i++) {
            at[i + 1] = at[i] + Character.charCount(points[i]);
        }
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < points.length; i++) {
            if (!breaksAt(rules, at, i)) {
                continue;
            }
            int cut = i;
            while (cut < points.length && WHITE_SPACE.matcher(new String(Character.toChars(points[cut]))).matches()) {
                cut++;
            }
            if (cut > start && cut < points.length) {
                segments.add(text.substring(at[start], at[cut]));
                start = cut;
            }
        }
        segments.add(text.substring(at[start]));
        return segments;
    }

    /** Whether the first rule that matches at code point boundary `i` breaks. */
    static boolean breaksAt(List<Rule> rules, int[] at, int i) {
        int pos = at[i];
        int end = at[at.length - 1];
        for (Rule rule : rules) {
            if (rule.after != null && !rule.after.region(pos, end).lookingAt()) {
                continue;
            }
            if (rule.before != null && !endsAt(rule.before, at, i)) {
                continue;
            }
            return rule.breaks;
        }
        return false;
    }

    /** Whether some match of `m`'s pattern ends exactly at boundary `i`. */
    static boolean endsAt(Matcher m, int[] at, int i) {
        for (int s = i; s >= 0; s--) {
            if (m.region(at[s], at[i]).matches()) {
                return true;
            }
        }
        return false;
    }

    static String trim(String line) {
        int[] points = line.codePoints().toArray();
        int a = 0;
        int b = points.length;
        while (a < b && isBlank(points[a])) {
            a++;
        }
        while (b > a && isBlank(points[b - 1])) {
            b--;
        }
        return new String(points, a, b - a);
    }

    static boolean isBlank(int c) {
        return BLANK.matcher(new String(Character.toChars(c))).matches();
    }

    static List<Element> elements(Element root, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = root.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    static Element first(Element root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(((Element) n).getLocalName())) {
                return (Element) n;
            }
        }
        return null;
    }

    static String text(Element e) {
        return e == null ? "" : e.getTextContent();
    }
}
