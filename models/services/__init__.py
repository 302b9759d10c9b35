"""Services: each user operation is one method, one transaction, validated, permission-checked
and audited. The UI and the command line reach the data only through these."""
