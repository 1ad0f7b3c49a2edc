package dev.bulwark.deploy;

import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects: identifiers outside string literals, label matchers
 * ({@code {..}}), range selectors ({@code [..]}) and grouping clauses ({@code by (..)}, {@code on (..)}
 * …), that are not functions, aggregations or keywords. Enough for the expressions of alert rules and
 * dashboards; not a PromQL parser.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan",
            // aggregation operators, which may stand before "by (..)" instead of their "("
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String text = maskStrings(expression);
        Set<String> names = new TreeSet<>();
        int i = 0;
        int braces = 0;
        int brackets = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (c == '[') {
                brackets++;
            } else if (c == ']') {
                brackets--;
            } else if (braces == 0 && brackets == 0 && (Character.isLetter(c) || c == '_' || c == ':')
                    && (i == 0 || !isIdentifierPart(text.charAt(i - 1)) && text.charAt(i - 1) != '$')) {
                int end = i;
                while (end < text.length() && isIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String word = text.substring(i, end);
                int next = skipSpaces(text, end);
                boolean call = next < text.length() && text.charAt(next) == '(';
                if (GROUPING.contains(word) && call) {
                    i = text.indexOf(')', next);
                    if (i < 0) {
                        throw new IllegalArgumentException("unclosed " + word + " ( in: " + expression);
                    }
                    i++;
                    continue;
                }
                if (!call && !KEYWORDS.contains(word)) {
                    names.add(word);
                }
                i = end;
                continue;
            }
            i++;
        }
        return names;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Replaces the content of "..", '..' and `..` literals with spaces, so names in label values do not count. */
    private static String maskStrings(String expression) {
        StringBuilder masked = new StringBuilder(expression.length());
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < expression.length()) {
                    masked.append("  ");
                    i++;
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                    masked.append(c);
                } else {
                    masked.append(' ');
                }
            } else {
                if (c == '"' || c == '\'' || c == '`') {
                    quote = c;
                }
                masked.append(c);
            }
        }
        return masked.toString();
    }
}
