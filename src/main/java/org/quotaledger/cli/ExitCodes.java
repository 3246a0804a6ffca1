package org.quotaledger.cli;

/**
 * What {@code ledger} exits with, so that a script can tell a refusal from a typo from an outage.
 * The README lists them; so does every command's {@code --help} (LedgerCli's exitCodeList). Never renumber one: scripts
 * depend on them.
 */
final class ExitCodes {

    static final int OK = 0;
    /** The command line itself is wrong: an unknown option, a missing argument, an unreadable file or setting. */
    static final int USAGE = 1;
    /** The ledger refused: a shipment or reservation denied (422), or an import with rows not recorded. */
    static final int REFUSED = 2;
    static final int NOT_FOUND = 3;
    /** The id is taken by something else, or the thing is already resolved (409). */
    static final int CONFLICT = 4;
    /** Not signed in, or the role may not do this (401, 403). */
    static final int AUTH = 5;
    /** The ledger is unreachable, failing (5xx), busy (429), or a job it ran failed: try again later. */
    static final int UNAVAILABLE = 6;
    /** The ledger found the request invalid (400, 413 and other 4xx): the message names the field. */
    static final int INVALID = 7;

    private ExitCodes() {
    }

    static int forStatus(int httpStatus) {
        return switch (httpStatus) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 422 -> REFUSED;
            case 429 -> UNAVAILABLE;
            default -> httpStatus >= 500 ? UNAVAILABLE : httpStatus >= 400 ? INVALID : OK;
        };
    }
}
