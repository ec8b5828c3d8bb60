import { AgeBand, Gender, Institution, StakeholderGroup } from '../people/people-enums';

/** Invented names, plausible for each country, so that the demo looks like the real thing. */
export const NAMES: Record<string, { female: string[]; male: string[]; family: string[] }> = {
  NP: {
    female: ['Sita', 'Gita', 'Laxmi', 'Sabitri', 'Kamala', 'Anita', 'Sunita', 'Pabitra', 'Manju', 'Durga', 'Radha', 'Bimala'],
    male: ['Ram', 'Hari', 'Krishna', 'Bishnu', 'Gopal', 'Ramesh', 'Dipak', 'Shyam', 'Bikash', 'Prakash', 'Suman', 'Rajendra'],
    family: ['Sharma', 'Thapa', 'Gurung', 'Tamang', 'Rai', 'Magar', 'Shrestha', 'Yadav', 'Chaudhary', 'Limbu', 'Karki', 'Mahato'],
  },
  IQ: {
    female: ['Fatima', 'Zainab', 'Noor', 'Mariam', 'Huda', 'Sara', 'Layla', 'Rana', 'Shilan', 'Nisreen', 'Amal', 'Dalia'],
    male: ['Ahmed', 'Omar', 'Ali', 'Hussein', 'Mustafa', 'Karim', 'Sami', 'Haidar', 'Rebwar', 'Yousif', 'Khalid', 'Salam'],
    family: ['al-Jubouri', 'Hassan', 'Kareem', 'al-Obeidi', 'Salih', 'Abdullah', 'Aziz', 'Mahmoud', 'Qadir', 'al-Bayati', 'Rashid', 'Ismail'],
  },
  LY: {
    female: ['Aisha', 'Salma', 'Huda', 'Fatma', 'Asma', 'Hanan', 'Naima', 'Rabia', 'Samira', 'Najwa'],
    male: ['Mohamed', 'Khaled', 'Ibrahim', 'Abdelrahman', 'Tarek', 'Nouri', 'Faraj', 'Salem', 'Osama', 'Ramadan'],
    family: ['el-Mabrouk', 'Ben Ali', 'al-Senussi', 'Gheriani', 'Zway', 'Abushagur', 'Tarhuni', 'el-Werfalli', 'Suwehli', 'Bugaighis'],
  },
};

export const PHONE_PREFIX: Record<string, string> = { NP: '+97798', IQ: '+96477', LY: '+21891' };

/** How often each group sits at the table: elders and civil society more than writers. */
export const STAKEHOLDER_WEIGHTS: [StakeholderGroup, number][] = [
  ['tribal_elder', 9], ['religious_leader', 8], ['lawyer', 6], ['journalist', 5], ['political_party', 4], ['business', 4],
  ['writer', 1], ['minority_group', 5], ['womens_group', 9], ['youth_group', 8], ['former_combatant', 2], ['vigilante_group', 1],
  ['idp_representative', 5], ['academic', 3], ['civil_society', 10], ['other', 2],
];

export const GENDER_WEIGHTS: [Gender, number][] = [['female', 38], ['male', 58], ['other', 1], ['undisclosed', 3]];
export const AGE_WEIGHTS: [AgeBand, number][] = [['18_29', 24], ['30_44', 34], ['45_59', 26], ['60_plus', 12], ['undisclosed', 4]];
export const INSTITUTION_WEIGHTS: [Institution, number][] = [['police', 12], ['prosecution', 2], ['judiciary', 2], ['local_government', 4], ['military', 1], ['other', 1]];
export const RANKS = ['Constable', 'Sergeant', 'Inspector', 'Deputy Superintendent', 'Superintendent', 'Captain', 'Lieutenant'];
