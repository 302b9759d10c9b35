"""people: honours (kinds, nominations, frozen published lists), the yearly assessment (results,
confirmed grades, replacements), the reserve talent pool (entries, status history), and the
head's 撤换 flag. Published lists, grades and the pool are append-only (triggers).

Revision ID: 0018_people
Revises: 0017_hardening
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from models.core import clock
from models.core.append_only import create_triggers, drop_triggers


revision = '0018_people'
down_revision = '0017_hardening'
branch_labels = None
depends_on = None

REFUSAL = "已公示的荣誉、已确认的测评结果和人才库记录只能追加，不能修改或删除。"
FROZEN = ("honour_list", "honour_entry", "assessment", "assessment_grade",
          "assessment_replacement", "talent_entry", "talent_event")
KIND_COLUMNS = ("name", "scope", "nominee", "top_scorer", "built_in", "sort_order", "added_by",
                "created_at")
# The report's honours: 评先树优 of zone and alley heads, and the prize of the highest score.
BUILT_IN_KINDS = (("年度优秀片区长", "village", "zone_head", False),
                  ("年度优秀胡同长", "village", "alley_head", False),
                  ("年度积分最高奖", "village", "head", True),
                  ("全镇年度积分最高奖", "township", "head", True))


def upgrade() -> None:
    op.create_table('honour_kind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.Enum('village', 'township', name='honourscope', native_enum=False, length=12), nullable=False),
    sa.Column('nominee', sa.Enum('zone_head', 'alley_head', 'head', 'anyone', name='nominee', native_enum=False, length=12), nullable=False),
    sa.Column('top_scorer', sa.Boolean(), nullable=False),
    sa.Column('built_in', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_kind')),
    sa.UniqueConstraint('name', name=op.f('uq_honour_kind_name'))
    )
    op.create_table('honour_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('township_name', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('publisher', sa.String(length=60), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=False),
    sa.Column('tie_break', sa.Text(), nullable=False),
    sa.Column('top_scorers', sa.Text(), nullable=False),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supersedes_id'], ['honour_list.id'], name=op.f('fk_honour_list_supersedes_id_honour_list')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_honour_list_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_list')),
    sa.UniqueConstraint('township_id', 'year', 'version', name=op.f('uq_honour_list_township_id_year_version'))
    )
    with op.batch_alter_table('honour_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_list_township_id'), ['township_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=False),
    sa.Column('confirmed_by', sa.String(length=60), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('absent', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_assessment_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('admin_village_id', 'year', name=op.f('uq_assessment_admin_village_id_year'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_admin_village_id'), ['admin_village_id'], unique=False)

    op.create_table('talent_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('model', 'cadre', 'candidate', name='talentcategory', native_enum=False, length=12), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('evidence_kind', sa.Enum('points', 'ranking', 'honour', 'assessment', 'other', name='evidencekind', native_enum=False, length=12), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('party_member', sa.Boolean(), nullable=False),
    sa.Column('entered_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_talent_entry_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_talent_entry_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_entry'))
    )
    with op.batch_alter_table('talent_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_entry_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_entry_resident_id'), ['resident_id'], unique=False)

    op.create_table('assessment_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=160), nullable=False),
    sa.Column('survey_satisfied', sa.Integer(), nullable=False),
    sa.Column('survey_fair', sa.Integer(), nullable=False),
    sa.Column('survey_unsatisfied', sa.Integer(), nullable=False),
    sa.Column('questionnaire_satisfied', sa.Integer(), nullable=False),
    sa.Column('questionnaire_fair', sa.Integer(), nullable=False),
    sa.Column('questionnaire_unsatisfied', sa.Integer(), nullable=False),
    sa.Column('meeting_for', sa.Integer(), nullable=False),
    sa.Column('meeting_against', sa.Integer(), nullable=False),
    sa.Column('meeting_abstain', sa.Integer(), nullable=False),
    sa.Column('year_score', sa.Integer(), nullable=False),
    sa.Column('duties', sa.String(length=30), nullable=False),
    sa.Column('rectification', sa.String(length=30), nullable=False),
    sa.Column('total', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=8), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_grade_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_assessment_grade_head_id_head')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_assessment_grade_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_grade'))
    )
    with op.batch_alter_table('assessment_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_grade_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_grade_head_id'), ['head_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_grade_resident_id'), ['resident_id'], unique=False)

    op.create_table('assessment_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('survey_satisfied', sa.Integer(), nullable=True),
    sa.Column('survey_fair', sa.Integer(), nullable=True),
    sa.Column('survey_unsatisfied', sa.Integer(), nullable=True),
    sa.Column('questionnaire_satisfied', sa.Integer(), nullable=True),
    sa.Column('questionnaire_fair', sa.Integer(), nullable=True),
    sa.Column('questionnaire_unsatisfied', sa.Integer(), nullable=True),
    sa.Column('meeting_for', sa.Integer(), nullable=True),
    sa.Column('meeting_against', sa.Integer(), nullable=True),
    sa.Column('meeting_abstain', sa.Integer(), nullable=True),
    sa.Column('entered_by', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_assessment_result_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_assessment_result_head_id_head')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_assessment_result_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_result')),
    sa.UniqueConstraint('year', 'head_id', name=op.f('uq_assessment_result_year_head_id'))
    )
    with op.batch_alter_table('assessment_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_result_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_result_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_result_year'), ['year'], unique=False)

    op.create_table('honour_nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('deeds', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('village', 'assessment', 'top_scorer', 'township', name='source', native_enum=False, length=12), nullable=False),
    sa.Column('status', sa.Enum('nominated', 'approved', 'rejected', name='nominationstatus', native_enum=False, length=12), nullable=False),
    sa.Column('nominated_by', sa.String(length=60), nullable=False),
    sa.Column('nominated_on', sa.Date(), nullable=False),
    sa.Column('decided_by', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_note', sa.String(length=200), nullable=False),
    sa.Column('reward_what', sa.String(length=100), nullable=False),
    sa.Column('reward_value', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_honour_nomination_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_honour_nomination_head_id_head')),
    sa.ForeignKeyConstraint(['kind_id'], ['honour_kind.id'], name=op.f('fk_honour_nomination_kind_id_honour_kind')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_honour_nomination_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_nomination')),
    sa.UniqueConstraint('year', 'kind_id', 'resident_id', name=op.f('uq_honour_nomination_year_kind_id_resident_id'))
    )
    with op.batch_alter_table('honour_nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_nomination_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_nomination_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_nomination_year'), ['year'], unique=False)

    op.create_table('talent_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('entered', 'training', 'recommended', 'joined', 'appointed', 'left', name='talentstatus', native_enum=False, length=12), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['talent_entry.id'], name=op.f('fk_talent_event_entry_id_talent_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_event'))
    )
    with op.batch_alter_table('talent_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_event_entry_id'), ['entry_id'], unique=False)

    op.create_table('assessment_replacement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grade_id', sa.Integer(), nullable=False),
    sa.Column('ended_head_id', sa.Integer(), nullable=False),
    sa.Column('new_head_id', sa.Integer(), nullable=False),
    sa.Column('replaced_on', sa.Date(), nullable=False),
    sa.Column('replaced_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ended_head_id'], ['head.id'], name=op.f('fk_assessment_replacement_ended_head_id_head')),
    sa.ForeignKeyConstraint(['grade_id'], ['assessment_grade.id'], name=op.f('fk_assessment_replacement_grade_id_assessment_grade')),
    sa.ForeignKeyConstraint(['new_head_id'], ['head.id'], name=op.f('fk_assessment_replacement_new_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_replacement')),
    sa.UniqueConstraint('grade_id', name=op.f('uq_assessment_replacement_grade_id'))
    )
    op.create_table('honour_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('kind_name', sa.String(length=40), nullable=False),
    sa.Column('village_name', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=160), nullable=False),
    sa.Column('deeds', sa.Text(), nullable=False),
    sa.Column('reward_what', sa.String(length=100), nullable=False),
    sa.Column('reward_value', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('certificate_number', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['honour_list.id'], name=op.f('fk_honour_entry_list_id_honour_list')),
    sa.ForeignKeyConstraint(['nomination_id'], ['honour_nomination.id'], name=op.f('fk_honour_entry_nomination_id_honour_nomination')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_entry'))
    )
    with op.batch_alter_table('honour_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_entry_list_id'), ['list_id'], unique=False)

    # Plain ALTER (a batch copy of the head table would trip over the foreign keys).
    op.add_column('head', sa.Column('dismissed', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.bulk_insert(sa.table('honour_kind', *(sa.column(c) for c in KIND_COLUMNS)),
                   [dict(zip(KIND_COLUMNS, (*kind, True, order, "", clock.utcnow()), strict=True))
                    for order, kind in enumerate(BUILT_IN_KINDS, start=1)])
    dialect = op.get_bind().dialect.name
    for table in FROZEN:
        for statement in create_triggers(table, REFUSAL, dialect):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in FROZEN:
        for statement in drop_triggers(table, dialect):
            op.execute(statement)
    op.execute("ALTER TABLE head DROP COLUMN dismissed")

    with op.batch_alter_table('honour_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_entry_list_id'))

    op.drop_table('honour_entry')
    op.drop_table('assessment_replacement')
    with op.batch_alter_table('talent_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_event_entry_id'))

    op.drop_table('talent_event')
    with op.batch_alter_table('honour_nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_nomination_year'))
        batch_op.drop_index(batch_op.f('ix_honour_nomination_resident_id'))
        batch_op.drop_index(batch_op.f('ix_honour_nomination_admin_village_id'))

    op.drop_table('honour_nomination')
    with op.batch_alter_table('assessment_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_result_year'))
        batch_op.drop_index(batch_op.f('ix_assessment_result_resident_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_result_admin_village_id'))

    op.drop_table('assessment_result')
    with op.batch_alter_table('assessment_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_grade_resident_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_grade_head_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_grade_assessment_id'))

    op.drop_table('assessment_grade')
    with op.batch_alter_table('talent_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_entry_resident_id'))
        batch_op.drop_index(batch_op.f('ix_talent_entry_admin_village_id'))

    op.drop_table('talent_entry')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_admin_village_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('honour_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_list_township_id'))

    op.drop_table('honour_list')
    op.drop_table('honour_kind')
