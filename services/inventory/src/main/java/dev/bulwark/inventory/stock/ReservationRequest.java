package dev.bulwark.inventory.stock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The checked body of {@code PUT /inventory}: 1..{@value #MAX_ITEMS} lines, each code matching
 * {@code [A-Z0-9]{1,32}} and present once, each qty 1..{@value #MAX_QTY}. Every problem is reported at once.
 */
public final class ReservationRequest {

    static final int MAX_ITEMS = 100;
    static final int MAX_QTY = 10_000;

    private ReservationRequest() {
    }

    /** The lines in request order, or {@link InvalidRequestException} listing every bad field. */
    public static List<StockLine> validate(@Nullable List<@Nullable RequestedItem> items) {
        List<FieldProblem> problems = new ArrayList<>();
        if (items == null || items.isEmpty()) {
            throw new InvalidRequestException(List.of(new FieldProblem("", "must be a list of 1 to " + MAX_ITEMS + " items")));
        }
        if (items.size() > MAX_ITEMS) {
            throw new InvalidRequestException(List.of(new FieldProblem("",
                    items.size() + " items (expected: 1 to " + MAX_ITEMS + ")")));
        }
        List<StockLine> lines = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            RequestedItem item = items.get(i);
            String at = "[" + i + "]";
            if (item == null) {
                problems.add(new FieldProblem(at, "must be an object {\"code\", \"qty\"}"));
                continue;
            }
            String code = item.code();
            Integer qty = item.qty();
            boolean ok = true;
            if (code == null || !StockLine.CODE.matcher(code).matches()) {
                problems.add(new FieldProblem(at + ".code", "must be 1 to 32 characters A-Z or 0-9"));
                ok = false;
            }
            else if (!seen.add(code)) {
                // the code is safe to echo: it matched the pattern
                problems.add(new FieldProblem(at + ".code", "duplicate code " + code + " (expected: each code once)"));
                ok = false;
            }
            if (qty == null) {
                problems.add(new FieldProblem(at + ".qty", "must be a number from 1 to " + MAX_QTY));
                ok = false;
            }
            else if (qty < 1 || qty > MAX_QTY) {
                problems.add(new FieldProblem(at + ".qty", qty + " (expected: 1 to " + MAX_QTY + ")"));
                ok = false;
            }
            if (ok) {
                lines.add(new StockLine(code, qty));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return List.copyOf(lines);
    }
}
