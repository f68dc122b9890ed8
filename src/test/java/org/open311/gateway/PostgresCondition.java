package org.open311.gateway;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs a PostgreSQL test class when PostgreSQL is reachable; skips it otherwise, unless CI requires it. */
public class PostgresCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (TestDatabase.postgresReachable() || TestDatabase.postgresRequired()) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + TestDatabase.POSTGRES_URL);
        }
        return ConditionEvaluationResult.disabled("No PostgreSQL at " + TestDatabase.POSTGRES_URL);
    }
}
