package dev.bulwark.inventory.stock;

import java.util.List;

/** The request body is well-formed JSON but breaks the API's rules; rendered as 400 with every problem. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldProblem> problems;

    InvalidRequestException(List<FieldProblem> problems) {
        super("invalid request: " + problems.size() + " problem(s)");
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
