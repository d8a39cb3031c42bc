# plan-check: rules, suppressions, SARIF; cmd_check and cmd_explain.
