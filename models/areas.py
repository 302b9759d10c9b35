"""Every area, loaded: its tables on the one metadata (alembic's env.py and backup's table copy
need them all), its policy numbers in `settings.SPECS` and its invariants in the `check` registry.
Only the readers of a whole registry import this module: check, the settings service, the audit
trail's labels, backup and alembic's env.py."""

# The order of the checks modules is the order `check` reports in.
import models.org.checks
import models.store.checks
import models.points.checks
import models.points.rule_checks
import models.ranking.checks
import models.problems.checks
import models.accounts.checks  # the audit trail: its chains and the ledger rows it records
import models.core.files  # stored files: the table and its check
import models.worklog.checks
import models.people.checks
import models.accounts.tables
import models.core.audit
import models.core.idempotency
import models.core.chain  # chain_head
import models.org.tables
import models.people.policy  # (registers the honours and assessment settings)
import models.people.tables
import models.points.tables
import models.problems.tables
import models.printing.numbering  # (document numbers: the register and its settings)
import models.ranking.rules  # (registers the red/black list settings)
import models.ranking.tables
import models.server.tables
import models.store.tables
import models.worklog.tables  # noqa: F401
from models.core.base import Base

metadata = Base.metadata
