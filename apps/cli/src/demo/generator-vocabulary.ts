/**
 * The made-up but plausible vocabulary of the event generator: people, companies, owners, reasons, products,
 * campaigns. Plain data; the choices (and their skew) are made in event-generator.ts.
 */
import type { DisqualificationReasonCode, LeadRating, LeadSource } from '@pipeline-ledger/domain';

/** Sales reps. Two join six months in, one leaves after twelve (her records are reassigned as they come up). */
export const OWNERS: readonly { name: string; weight: number; joinsAfterMonths?: number; leavesAfterMonths?: number }[] = [
  { name: 'alice', weight: 1.7 },
  { name: 'bob', weight: 1.5 },
  { name: 'carol', weight: 1.4 },
  { name: 'dave', weight: 1.3 },
  { name: 'erin', weight: 1.2 },
  { name: 'frank', weight: 1.2 },
  { name: 'grace', weight: 1.1 },
  { name: 'heidi', weight: 1.1 },
  { name: 'ivan', weight: 1.0 },
  { name: 'judy', weight: 1.0 },
  { name: 'mallory', weight: 1.0, leavesAfterMonths: 12 },
  { name: 'niaj', weight: 0.9 },
  { name: 'olivia', weight: 0.9 },
  { name: 'peggy', weight: 0.8 },
  { name: 'rupert', weight: 0.8 },
  { name: 'sybil', weight: 0.7 },
  { name: 'trent', weight: 0.7 },
  { name: 'uma', weight: 0.6 },
  { name: 'victor', weight: 1.0, joinsAfterMonths: 6 },
  { name: 'wendy', weight: 0.9, joinsAfterMonths: 6 },
];

/** Where leads come from, and how many of each (relative weights; Trade Show is boosted after a show). */
export const SOURCE_WEIGHTS: Readonly<Record<LeadSource, number>> = {
  'Web Form': 30,
  'Purchased List': 12,
  Referral: 7,
  Partner: 6,
  'Trade Show': 3,
  Webinar: 10,
  Social: 8,
  Advertisement: 11,
  'Phone Inquiry': 5,
  Other: 4,
};

/** How likely a lead of this source is to qualify (before the rating adjusts it). */
export const SOURCE_QUALITY: Readonly<Record<LeadSource, number>> = {
  'Web Form': 0.31,
  'Purchased List': 0.12,
  Referral: 0.55,
  Partner: 0.47,
  'Trade Show': 0.34,
  Webinar: 0.32,
  Social: 0.2,
  Advertisement: 0.24,
  'Phone Inquiry': 0.44,
  Other: 0.26,
};

export const RATINGS: readonly (LeadRating | null)[] = ['Hot', 'Warm', 'Cold', null];
export const RATING_WEIGHTS = [14, 38, 30, 18];
export const RATING_QUALITY: Readonly<Record<LeadRating | 'none', number>> = { Hot: 0.2, Warm: 0.05, Cold: -0.1, none: 0 };

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy',
  'Anthony', 'Sandra', 'Mark', 'Ashley', 'Paul', 'Emily', 'Steven', 'Michelle', 'Andrew', 'Amanda', 'Kenji', 'Yuki',
  'Hiroshi', 'Sakura', 'Lukas', 'Hannah', 'Felix', 'Lena', 'Pierre', 'Camille', 'Luca', 'Giulia', 'Pablo', 'Lucia',
  'Oliver', 'Amelia', 'Priya', 'Arjun', 'Wei', 'Mei', 'Ahmed', 'Fatima', 'Sven', 'Ingrid', 'Ada', 'Grace',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris',
  'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker',
  'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Tanaka', 'Suzuki', 'Sato', 'Watanabe', 'Mueller', 'Schmidt', 'Schneider',
  'Fischer', 'Weber', 'Dubois', 'Moreau', 'Rossi', 'Russo', 'Fernandez', 'Gonzalez', 'Patel', 'Sharma', 'Chen', 'Wang',
  'Kim', 'Nguyen', 'Larsen', 'Johansson', "O'Brien", 'Murphy', 'Lovelace', 'Hopper', 'Turing',
];

const STEM_A = ['North', 'Blue', 'Silver', 'Bright', 'Green', 'Red', 'Iron', 'Stone', 'Sun', 'Star', 'Oak', 'River', 'Lake', 'Cloud', 'Storm', 'Fire', 'Ice', 'Gold', 'Sky', 'Sea'];
const STEM_B = ['wind', 'stone', 'field', 'bridge', 'gate', 'point', 'crest', 'wood', 'view', 'line', 'path', 'works', 'forge', 'haven', 'peak'];
const SIMPLE_STEMS = [
  'Summit', 'Pacific', 'Atlantic', 'Alpine', 'Harbor', 'Granite', 'Cedar', 'Maple', 'Apex', 'Vertex', 'Quantum', 'Prime',
  'Fusion', 'Vector', 'Delta', 'Omega', 'Sigma', 'Orbit', 'Polar', 'Coastal', 'Metro', 'Urban', 'Rapid', 'Clear', 'True',
  'Bold', 'Swift', 'Open', 'Next', 'First', 'Global', 'United', 'Royal', 'Golden', 'Analytical Engines',
];
export const COMPANY_STEMS: readonly string[] = [...STEM_A.flatMap((a) => STEM_B.map((b) => a + b)), ...SIMPLE_STEMS];
export const COMPANY_KINDS = [
  'Systems', 'Logistics', 'Analytics', 'Dynamics', 'Labs', 'Works', 'Solutions', 'Partners', 'Holdings', 'Industries',
  'Technologies', 'Networks', 'Foods', 'Health', 'Energy', 'Capital', 'Media', 'Software', 'Robotics', 'Retail',
  'Manufacturing', 'Consulting', 'Bio', 'Motors', 'Textiles', 'Pharma', 'Telecom', 'Insurance', 'Logic', 'Cloud',
];
/** Legal form, with the web domain and phone prefix that go with it. */
export const COMPANY_FORMS: readonly { suffix: string; tld: string; phone: string; weight: number }[] = [
  { suffix: 'Inc.', tld: 'com', phone: '+1', weight: 30 },
  { suffix: 'LLC', tld: 'com', phone: '+1', weight: 14 },
  { suffix: 'Corp.', tld: 'com', phone: '+1', weight: 8 },
  { suffix: '', tld: 'io', phone: '+1', weight: 10 },
  { suffix: 'Ltd', tld: 'co.uk', phone: '+44', weight: 10 },
  { suffix: 'plc', tld: 'co.uk', phone: '+44', weight: 2 },
  { suffix: 'GmbH', tld: 'de', phone: '+49', weight: 9 },
  { suffix: 'AG', tld: 'de', phone: '+49', weight: 2 },
  { suffix: 'S.A.', tld: 'fr', phone: '+33', weight: 5 },
  { suffix: 'B.V.', tld: 'nl', phone: '+31', weight: 4 },
  { suffix: 'K.K.', tld: 'co.jp', phone: '+81', weight: 6 },
];

export const TITLES = [
  'CEO', 'CTO', 'CFO', 'COO', 'VP Sales', 'VP Marketing', 'VP Engineering', 'Head of IT', 'IT Manager', 'Procurement Manager',
  'Operations Director', 'Product Manager', 'Engineering Manager', 'Marketing Manager', 'Office Manager', 'Founder',
  'Director of Finance', 'Sales Operations Manager', 'Data Analyst', 'Consultant', 'Head of Customer Success',
];

export const INDUSTRIES = [
  'Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education', 'Government', 'Energy', 'Media',
  'Telecommunications', 'Transportation', 'Hospitality', 'Consulting', 'Insurance', 'Real Estate',
];
export const INDUSTRY_WEIGHTS = [24, 12, 10, 11, 8, 4, 3, 4, 4, 5, 4, 3, 4, 3, 2];

export const CONTACT_NOTES = [
  'Left voicemail', 'Intro call', 'Sent product overview', 'Sent pricing', 'Demo scheduled', 'Follow-up email',
  'Discovery meeting', 'Replied to inbound request', 'Connected on a call, asked for a proposal', 'Newsletter follow-up',
];

export const DISQUALIFY_REASONS_GENERIC = [
  'Unresponsive', 'Duplicate', 'Bad contact data', 'Went with competitor', 'Not a fit: company too small',
  'Student / personal use', 'Existing customer, routed to account manager',
];
export const DISQUALIFY_REASON_FOR: Readonly<Record<'budget' | 'authority' | 'need', string>> = {
  budget: 'No budget',
  authority: 'No authority: not a decision maker',
  need: 'No need',
};
/** The reason code each of the reasons above is recorded with (LeadDisqualified v2); any other reason is `other`. */
export const DISQUALIFY_REASON_CODES: Readonly<Record<string, DisqualificationReasonCode>> = {
  'No budget': 'no_budget',
  'No authority: not a decision maker': 'no_authority',
  'No need': 'no_need',
  Unresponsive: 'unresponsive',
  Duplicate: 'duplicate',
  'Bad contact data': 'invalid_contact',
  'Went with competitor': 'competitor',
};

export const NURTURE_REASONS: readonly (string | null)[] = [
  'Timeline beyond 6 months', 'Budget next fiscal year', 'Not ready to buy', 'Evaluating later this year', 'Keep warm via campaigns', null,
];
export const LEAD_REOPEN_REASONS: readonly (string | null)[] = [
  'New budget approved', 'Re-engaged via campaign', 'Inbound request', 'Contact changed role', null,
];

export const PRODUCTS = ['Platform License', 'Enterprise Plan', 'Team Plan', 'Implementation', 'Pilot', 'Annual Subscription', 'Analytics Add-on'];
export const EXPANSION_NAMES = ['Expansion', 'Renewal', 'Upsell', 'Add-on Licenses', 'Phase 2'];

export const LOSS_REASONS = [
  'Price', 'Lost to competitor', 'No budget', 'No decision / timing', 'Feature gap', 'Went dark', 'Chose to build in-house',
];
export const LOSS_REASON_WEIGHTS = [22, 26, 12, 18, 9, 9, 4];
export const OPPORTUNITY_REOPEN_REASONS: readonly (string | null)[] = [
  'Customer came back', 'Competitor deal fell through', 'New budget approved', 'Closed by mistake', null,
];

/** Currencies of deals (ISO 4217), their share, and roughly how many units of it make one US dollar. */
export const CURRENCIES: readonly { code: string; weight: number; perUsd: number; minorUnits: number; roundTo: number }[] = [
  { code: 'USD', weight: 68, perUsd: 1, minorUnits: 100, roundTo: 100 },
  { code: 'EUR', weight: 16, perUsd: 0.92, minorUnits: 100, roundTo: 100 },
  { code: 'GBP', weight: 10, perUsd: 0.79, minorUnits: 100, roundTo: 100 },
  { code: 'JPY', weight: 6, perUsd: 150, minorUnits: 1, roundTo: 10_000 },
];
