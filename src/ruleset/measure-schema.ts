import { OUTCOMES, PROCEDURE_STAGES } from '../types.js';
import { EU_MEMBER_STATES, MEMBER_STATE_HINTS } from './member-states.js';
import type { FactDefinition, FactType, RuleSet } from './types.js';

type Schema = Record<string, unknown>;

const YEARS = { type: 'number', minimum: 0, maximum: 100 };
const PENALTY = {
  anyOf: [YEARS, { const: 'life' }],
  'x-expected': 'a number of years from 0 to 100, or "life"',
};

const FACT_TYPE_SCHEMAS: Record<FactType, Schema> = {
  boolean: { type: 'boolean' },
  age: { type: 'integer', minimum: 0, maximum: 99 },
  years: YEARS,
  'years-or-unlimited': { anyOf: [YEARS, { const: 'unlimited' }], 'x-expected': 'a number of years from 0 to 100, or "unlimited"' },
  'penalty-years': {
    if: { type: 'object' },
    then: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        below_consent: { ...PENALTY, description: 'Maximum term where the child is below the age of sexual consent.' },
        above_consent: { ...PENALTY, description: 'Maximum term where the child is at or above the age of sexual consent.' },
      },
    },
    else: PENALTY,
  },
  date: { type: 'string', format: 'date' },
  text: { type: 'string', maxLength: 10_000 },
  'text-list': { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 1_000 } },
};

function factSchema(fact: FactDefinition): Schema {
  const unit = fact.unit ? ` (${fact.unit})` : '';
  return { title: `${fact.title}${unit}`, description: fact.description, ...FACT_TYPE_SCHEMAS[fact.type] };
}

const DATE = { type: 'string', format: 'date' };
const TEXT = { type: 'string', maxLength: 10_000 };
const SHORT_TEXT = { type: 'string', minLength: 1, maxLength: 500 };

/** The shape of a provision entry allowing `facts`; provisions with the same facts share one definition. */
function provisionShape(factNames: readonly string[], facts: Map<string, FactDefinition>): Schema {
  const factProperties: Record<string, Schema> = {};
  for (const name of factNames) factProperties[name] = factSchema(facts.get(name)!);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: {
      status: { $ref: '#/$defs/status' },
      national: {
        description: 'Where national law transposes this provision; at least one reference where the status is transposed or partial.',
        type: 'array',
        maxItems: 500,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['source', 'article'],
          properties: {
            source: { description: 'The id of a national act listed under `sources`.', ...SHORT_TEXT },
            article: { description: 'The article, section or paragraph of that act, as it is cited nationally.', ...SHORT_TEXT },
            in_force_from: { description: 'First day this national provision applies.', ...DATE },
            in_force_until: { description: 'Last day this national provision applies.', ...DATE },
            sets_penalty: {
              description: 'false: this provision defines an element of the offence but sets no penalty; it is left out of penalty comparisons.',
              type: 'boolean',
            },
            notes: { description: 'Free text for the analyst about this national provision.', ...TEXT },
            ...factProperties,
          },
        },
      },
      notes: { description: 'Free text for the analyst.', ...TEXT },
      assessment: { $ref: '#/$defs/assessment' },
      ...factProperties,
    },
    if: { required: ['status'], properties: { status: { enum: ['transposed', 'partial'] } } },
    then: {
      required: ['national'],
      'x-hint': 'a provision transposed or partial cites at least one national provision (or say status: not-transposed, or not-assessed)',
      properties: { national: { type: 'array', minItems: 1 } },
    },
  };
}

/**
 * The JSON Schema (draft 2020-12) for measure files, derived from the rule set: every provision key
 * the rule set covers, with the facts its rules read, and titles and descriptions for editors.
 */
export function deriveMeasureSchema(ruleset: RuleSet): Schema {
  // Provisions that allow the same facts share one compiled definition: far less code for ajv to build.
  const provisions: Record<string, Schema> = {};
  const shapes: Record<string, Schema> = {};
  for (const key of ruleset.provisions) {
    const rules = ruleset.rulesByProvision.get(key)!;
    const factNames = [...new Set(rules.flatMap((r) => r.facts))].sort();
    const shapeName = `provision${factNames.length ? `-${factNames.join('-')}` : ''}`;
    shapes[shapeName] ??= provisionShape(factNames, ruleset.facts);
    provisions[key] = {
      title: `Art. ${key} — ${rules[0]!.articleTitle} (${rules.map((r) => r.modality).join(' / ')})`,
      description: rules.map((r) => r.requirement).join(' '),
      $ref: `#/$defs/${shapeName}`,
    };
  }
  const memberStateFacts: Record<string, Schema> = {};
  for (const fact of ruleset.facts.values()) if (fact.scope === 'member-state') memberStateFacts[fact.name] = factSchema(fact);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://conformity.invalid/schemas/measures/${ruleset.id}.json`,
    title: `conformity measure file for Directive ${ruleset.directive}`,
    description: `What one Member State's law provides for each provision of Directive ${ruleset.directive} (rule set ${ruleset.id} ${ruleset.version}).`,
    type: 'object',
    additionalProperties: false,
    required: ['format', 'directive', 'member_state', 'as_of', 'provisions'],
    properties: {
      format: { description: 'Measure-file format version.', const: 1 },
      directive: { description: 'The directive this file describes.', const: ruleset.directive },
      member_state: {
        'x-expected': 'an EU Member State code',
        'x-value-hints': MEMBER_STATE_HINTS,
        description: `EU Member State code, upper case (EL for Greece)${ruleset.formerMemberStates.length ? `; also ${ruleset.formerMemberStates.join(', ')} (former Member States, for dates while bound)` : ''}.`,
        enum: [...EU_MEMBER_STATES, ...ruleset.formerMemberStates],
      },
      as_of: { description: 'The date this description is accurate for (YYYY-MM-DD).', ...DATE },
      notes: { description: 'Free text for the analyst.', ...TEXT },
      ...memberStateFacts,
      sources: {
        description: 'The national acts cited below, by a short id.',
        type: 'object',
        maxProperties: 1_000,
        propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
        additionalProperties: { $ref: '#/$defs/source' },
      },
      procedures: {
        description: 'Infringement procedure steps against this Member State for this Directive.',
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['stage', 'date'],
          properties: {
            stage: { description: 'letter-of-formal-notice | additional-letter | reasoned-opinion | referral | closed', enum: [...PROCEDURE_STAGES] },
            date: { description: 'Date of the step.', ...DATE },
            reference: { description: 'The procedure number, e.g. INFR(2019)2201.', ...SHORT_TEXT },
            grounds: {
              description: 'The provisions the step names as not (correctly) transposed.',
              type: 'array',
              maxItems: 500,
              items: { enum: ruleset.provisions },
            },
            notes: { description: 'Free text for the analyst about this step.', ...TEXT },
          },
        },
      },
      provisions: {
        description: 'One entry per Directive provision, by provision key (e.g. "3(4)"; "Art. 3(4)" is accepted).',
        type: 'object',
        additionalProperties: false,
        properties: provisions,
      },
    },
    $defs: {
      ...shapes,
      status: {
        description: 'transposed | partial | not-transposed | not-assessed (not researched yet: the same as leaving the provision out)',
        enum: ['transposed', 'partial', 'not-transposed', 'not-assessed'],
      },
      source: {
        type: 'object',
        additionalProperties: false,
        required: ['title'],
        properties: {
          title: { description: 'The act\'s title.', ...SHORT_TEXT },
          abbreviation: { description: 'How the act is cited in short, e.g. StGB.', ...SHORT_TEXT },
          url: { description: 'Where the act can be read.', type: 'string', format: 'uri', maxLength: 2_000 },
          references_directive: { description: 'Whether the act cites the Directive (Art. 27(3)).', type: 'boolean' },
          adopted_to_transpose: {
            description: 'true: the act was adopted to transpose the Directive, so Art. 27(3) requires it to refer to the Directive.',
            type: 'boolean',
          },
          adopted: { description: 'Date of adoption.', ...DATE },
          notes: { description: 'Free text for the analyst about this act.', ...TEXT },
        },
      },
      assessment: {
        description: "An analyst's recorded judgement; it overrides the computed outcome, and reports show both.",
        type: 'object',
        additionalProperties: false,
        required: ['outcome', 'reason'],
        properties: {
          outcome: { description: `The outcome the analyst judges right: ${OUTCOMES.join(', ')}.`, enum: [...OUTCOMES] },
          reason: { description: 'Why the analyst departs from the computed outcome.', type: 'string', pattern: '\\S', maxLength: 10_000 },
          by: { description: 'Analyst initials or team.', ...SHORT_TEXT },
          date: { description: 'When the judgement was made (it applies to this description whatever the evaluation date).', ...DATE },
          expires: { description: 'From this date (compared with the day of the run, --today) the judgement is due for review and not applied.', ...DATE },
        },
      },
    },
  };
}
