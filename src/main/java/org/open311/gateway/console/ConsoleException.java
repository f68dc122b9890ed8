package org.open311.gateway.console;

/** A console request refused: the status and the message key of the page that says why. */
public final class ConsoleException extends RuntimeException {

    private final int status;
    private final String messageKey;

    public ConsoleException(int status, String messageKey) {
        super(messageKey, null, false, false);
        this.status = status;
        this.messageKey = messageKey;
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }

    /** No live session: a page goes to the login form, an action is refused. */
    static ConsoleException noSession() {
        return new ConsoleException(401, "errorNoSession");
    }
}
