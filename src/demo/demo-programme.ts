import { NetworkLevel, PartnerKind } from '../programme/programme-enums';

/**
 * The programme structure of the demo: drawn from the countries and places where the programme
 * has worked (domain.md). Names of places are real; organisations and people are invented.
 */
export interface DemoNetwork {
  key: string;
  country: string;
  name: string;
  level: NetworkLevel;
  parent?: string;
  adminArea: string;
  lat: number;
  lon: number;
  establishedOn: string;
}

export const DEMO_NETWORKS: DemoNetwork[] = [
  // Nepal
  { key: 'np-national', country: 'NP', name: 'Nepal National Focal Group', level: 'national', adminArea: 'Kathmandu', lat: 27.7172, lon: 85.324, establishedOn: '2007-06-01' },
  { key: 'np-koshi', country: 'NP', name: 'Koshi Regional Network', level: 'regional', parent: 'np-national', adminArea: 'Koshi Province', lat: 26.4525, lon: 87.2718, establishedOn: '2008-03-15' },
  { key: 'np-madhesh', country: 'NP', name: 'Madhesh Regional Network', level: 'regional', parent: 'np-national', adminArea: 'Madhesh Province', lat: 26.7288, lon: 85.925, establishedOn: '2008-05-10' },
  { key: 'np-morang', country: 'NP', name: 'Morang District Network', level: 'district', parent: 'np-koshi', adminArea: 'Morang', lat: 26.6799, lon: 87.4604, establishedOn: '2009-01-20' },
  { key: 'np-sunsari', country: 'NP', name: 'Sunsari District Network', level: 'district', parent: 'np-koshi', adminArea: 'Sunsari', lat: 26.627, lon: 87.1822, establishedOn: '2009-04-02' },
  { key: 'np-dhanusha', country: 'NP', name: 'Dhanusha District Network', level: 'district', parent: 'np-madhesh', adminArea: 'Dhanusha', lat: 26.8142, lon: 86.0, establishedOn: '2010-02-11' },
  { key: 'np-janakpur', country: 'NP', name: 'Janakpur Community Network', level: 'community', parent: 'np-dhanusha', adminArea: 'Janakpur', lat: 26.7271, lon: 85.9407, establishedOn: '2012-07-01' },
  // Iraq
  { key: 'iq-national', country: 'IQ', name: 'Iraq National Focal Group', level: 'national', adminArea: 'Baghdad', lat: 33.3152, lon: 44.3661, establishedOn: '2011-09-01' },
  { key: 'iq-kirkuk-region', country: 'IQ', name: 'Kirkuk Governorate Network', level: 'regional', parent: 'iq-national', adminArea: 'Kirkuk', lat: 35.4681, lon: 44.3922, establishedOn: '2012-02-01' },
  { key: 'iq-kirkuk-city', country: 'IQ', name: 'Kirkuk City Network', level: 'district', parent: 'iq-kirkuk-region', adminArea: 'Kirkuk', lat: 35.4681, lon: 44.3922, establishedOn: '2013-01-15' },
  { key: 'iq-hawija', country: 'IQ', name: 'Hawija District Network', level: 'district', parent: 'iq-kirkuk-region', adminArea: 'Kirkuk', lat: 35.3292, lon: 43.7665, establishedOn: '2013-03-10' },
  { key: 'iq-daquq', country: 'IQ', name: 'Daquq District Network', level: 'district', parent: 'iq-kirkuk-region', adminArea: 'Kirkuk', lat: 35.1372, lon: 44.4472, establishedOn: '2013-05-05' },
  { key: 'iq-ninewa', country: 'IQ', name: 'Ninewa Governorate Network', level: 'regional', parent: 'iq-national', adminArea: 'Ninewa', lat: 36.34, lon: 43.13, establishedOn: '2017-10-01' },
  { key: 'iq-sinjar', country: 'IQ', name: 'Sinjar Community Network', level: 'community', parent: 'iq-ninewa', adminArea: 'Ninewa', lat: 36.3209, lon: 41.8767, establishedOn: '2018-04-12' },
  // Libya
  { key: 'ly-national', country: 'LY', name: 'Libya National Focal Group', level: 'national', adminArea: 'Tripoli', lat: 32.8872, lon: 13.1913, establishedOn: '2013-04-01' },
  { key: 'ly-tripoli', country: 'LY', name: 'Tripoli District Network', level: 'district', parent: 'ly-national', adminArea: 'Tripoli', lat: 32.8872, lon: 13.1913, establishedOn: '2013-09-01' },
  { key: 'ly-misrata', country: 'LY', name: 'Misrata District Network', level: 'district', parent: 'ly-national', adminArea: 'Misrata', lat: 32.3754, lon: 15.0925, establishedOn: '2014-01-20' },
  { key: 'ly-sabha', country: 'LY', name: 'Sabha District Network', level: 'district', parent: 'ly-national', adminArea: 'Sabha', lat: 27.0377, lon: 14.4283, establishedOn: '2014-06-15' },
];

export const DEMO_LINKS: { from: string; to: string; kind: 'peer' | 'mentoring' | 'exchange'; since: string }[] = [
  { from: 'np-national', to: 'iq-national', kind: 'mentoring', since: '2012-05-01' },
  { from: 'iq-national', to: 'ly-national', kind: 'mentoring', since: '2014-02-01' },
  { from: 'iq-kirkuk-city', to: 'ly-tripoli', kind: 'exchange', since: '2015-03-01' },
  { from: 'np-morang', to: 'iq-hawija', kind: 'exchange', since: '2015-09-01' },
  { from: 'iq-kirkuk-city', to: 'iq-hawija', kind: 'peer', since: '2014-01-01' },
  { from: 'ly-misrata', to: 'ly-sabha', kind: 'peer', since: '2015-06-01' },
];

export const DEMO_PARTNERS: { key: string; country: string; name: string; kind: PartnerKind; networks: string[]; commitmentOn: string | null }[] = [
  { key: 'np-p1', country: 'NP', name: 'Koshi Community Mediation Centre', kind: 'cbo', networks: ['np-koshi', 'np-morang', 'np-sunsari'], commitmentOn: '2008-02-01' },
  { key: 'np-p2', country: 'NP', name: 'Madhesh Human Rights Forum', kind: 'csos', networks: ['np-madhesh', 'np-dhanusha', 'np-janakpur'], commitmentOn: '2008-04-20' },
  { key: 'iq-p1', country: 'IQ', name: 'Kirkuk Civil Peace Association', kind: 'ngo', networks: ['iq-kirkuk-region', 'iq-kirkuk-city', 'iq-hawija', 'iq-daquq'], commitmentOn: '2012-01-10' },
  { key: 'iq-p2', country: 'IQ', name: 'Ninewa Interfaith Council', kind: 'faith_based', networks: ['iq-ninewa', 'iq-sinjar'], commitmentOn: '2017-09-01' },
  { key: 'ly-p1', country: 'LY', name: 'Libyan Women for Justice', kind: 'csos', networks: ['ly-tripoli', 'ly-misrata'], commitmentOn: '2013-06-01' },
  { key: 'ly-p2', country: 'LY', name: 'Fezzan Youth Dialogue', kind: 'cbo', networks: ['ly-sabha'], commitmentOn: null },
];
