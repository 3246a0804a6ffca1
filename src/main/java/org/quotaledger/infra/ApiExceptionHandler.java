package org.quotaledger.infra;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Every error leaves as RFC 9457 problem+json that names what is wrong. No stack trace, no SQL,
 * no class name: an unexpected failure is logged here and answered with a bare 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.valueOf(e.status()), e.getMessage(), e.problems());
        if (e.reason() != null) {
            answer.getBody().setProperty("reason", e.reason());
        }
        return answer;
    }

    /** A body streamed past its limit while an endpoint read it itself (a bulk import's file). */
    @ExceptionHandler(RequestSizeLimitFilter.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestSizeLimitFilter.BodyTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage(), List.of());
    }

    /** A country's ledger is opened by the seed policy's fan-out; until then it cannot record. */
    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> notOpenYet(AggregateNotFoundException e) {
        return unavailable("the ledger for this country is not open yet: the enacted policy is still being applied", 2);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (isTemporary(e)) {
            log.warn("Temporarily unavailable: {}", e.toString());
            return unavailable("the ledger cannot reach its database or is busy; nothing was recorded, try again", 5);
        }
        log.error("Unexpected failure", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the ledger could not complete the request", List.of());
    }

    /**
     * The database is unreachable, a write conflict outlived its retries (a conflicting append,
     * or a transaction the database rolled back, SQL class 40), or the country stayed held by
     * another writer (an atomic import) past the wait for its lock (quota-ledger.country-lock-wait):
     * nothing was recorded and the same request may well succeed shortly.
     */
    private static boolean isTemporary(Throwable e) {
        if (DatabaseUnreachable.causes(e)) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientException
                    || cause instanceof org.axonframework.modelling.command.ConcurrencyException
                    || cause instanceof org.axonframework.common.lock.LockAcquisitionFailedException) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            problems.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error ->
                problems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return asObject(problem(HttpStatus.BAD_REQUEST, problems.size() + " field(s) are invalid", problems));
    }

    /**
     * A query or path parameter outside its constraints ({@code @Min}, {@code @Pattern}, ...).
     * Spring MVC checks them because no controller is {@code @Validated} (ArchitectureTest keeps
     * it so): that annotation would move the check to an AOP proxy throwing exceptions this
     * handler never sees.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                problems.add(new FieldProblem(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return asObject(problem(HttpStatus.BAD_REQUEST, problems.size() + " parameter(s) are invalid", problems));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                return asObject(problem(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), List.of()));
            }
        }
        if (e.getCause() instanceof PlainTextModule.NotPlainTextException notPlain) {
            return asObject(problem(HttpStatus.BAD_REQUEST, "the request body has text that is not plain",
                    List.of(new FieldProblem(JsonFieldPath.of(notPlain.getPath()), notPlain.getOriginalMessage()))));
        }
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = JsonFieldPath.of(mapping.getPath());
            return asObject(problem(HttpStatus.BAD_REQUEST, "the request body is not valid JSON for this endpoint",
                    List.of(new FieldProblem(field, "has the wrong type or format"))));
        }
        return asObject(problem(HttpStatus.BAD_REQUEST, "the request body is missing or is not well-formed JSON", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        // Spring's own answers (405, 415, 404 for a missing route, ResponseStatusException) carry
        // problem details written for clients; never use the exception's message, which may quote internals.
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : e instanceof ErrorResponse response ? response.getBody() : ProblemDetail.forStatus(status);
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail, int retryAfterSeconds) {
        ProblemDetail body = problem(HttpStatus.SERVICE_UNAVAILABLE, detail, List.of()).getBody();
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds)).body(body);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, List<FieldProblem> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        if (!problems.isEmpty()) {
            problem.setProperty("errors", problems);
        }
        return ResponseEntity.status(status).body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }
}
