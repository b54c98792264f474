/**
 * The org the logging tests run against: a rep, accounts with open and closed opportunities,
 * contacts (one with a quote in its address, one with a mixed-case address, two sharing a
 * shared-inbox address), leads (one converted), and contact roles.
 */
import type { Seed } from '../../emulator';

export const LOGGING_SEED: Seed = {
  User: [
    {
      '@ref': 'rep',
      FirstName: 'Aiko',
      LastName: 'Tanaka',
      Username: 'aiko@demo-org.example',
      Alias: 'atana',
      Email: 'aiko.tanaka@demo-org.example',
    },
  ],
  Organization: [{ Name: 'Logging Test Org' }],
  Account: [
    { '@ref': 'sakura', Name: '株式会社サクラ精機', Website: 'https://www.sakura-seiki.example' },
    { '@ref': 'globex', Name: 'Globex Corporation', Website: 'globex.example' },
    { '@ref': 'prospect', Name: 'Prospect Industries KK', Website: 'https://prospect-industries.example/jp' },
  ],
  Contact: [
    {
      '@ref': 'suzuki',
      FirstName: '浩',
      LastName: '鈴木',
      AccountId: '@sakura',
      Email: 'hiroshi.suzuki@sakura-seiki.example',
      CreatedDate: '$now-300d',
    },
    { '@ref': 'takahashi', FirstName: '美咲', LastName: '高橋', AccountId: '@sakura', Email: 'misaki.takahashi@sakura-seiki.example' },
    { '@ref': 'obrien', FirstName: 'Liam', LastName: "O'Brien", AccountId: '@globex', Email: "liam.o'brien@globex.example" },
    { '@ref': 'watanabe', FirstName: 'Mei', LastName: 'Watanabe', AccountId: '@globex', Email: 'Mei.Watanabe@Globex.example' },
    {
      '@ref': 'shared1',
      FirstName: 'Taro',
      LastName: 'Kimura',
      AccountId: '@sakura',
      Email: 'info@shared-inbox.example',
      CreatedDate: '$now-200d',
    },
    {
      '@ref': 'shared2',
      FirstName: 'Hanae',
      LastName: 'Kimura',
      AccountId: '@globex',
      Email: 'info@shared-inbox.example',
      CreatedDate: '$now-100d',
    },
    { '@ref': 'nobody', FirstName: 'No', LastName: 'Account', Email: 'no.account@freelance.example' },
    { '@ref': 'leaving', FirstName: 'Ken', LastName: 'Leaving', AccountId: '@globex', Email: 'ken.leaving@globex.example' },
  ],
  Lead: [
    {
      '@ref': 'yoshida',
      FirstName: '真由美',
      LastName: '吉田',
      Company: '株式会社みどり商事',
      Email: 'mayumi.yoshida@midori-shoji.example',
    },
    { '@ref': 'converted', LastName: 'Converted', Company: 'Old Co', Email: 'converted@old-co.example', IsConverted: true },
  ],
  Opportunity: [
    {
      '@ref': 'older',
      Name: 'サクラ 保守',
      AccountId: '@sakura',
      StageName: 'Qualification',
      CloseDate: '$today+60',
      LastModifiedDate: '$now-20d',
    },
    {
      '@ref': 'recent',
      Name: 'サクラ 第二工場',
      AccountId: '@sakura',
      StageName: 'Proposal/Price Quote',
      CloseDate: '$today+30',
      LastModifiedDate: '$now-1d',
    },
    {
      '@ref': 'closed',
      Name: 'サクラ 旧契約',
      AccountId: '@sakura',
      StageName: 'Closed Won',
      CloseDate: '$today-30',
      LastModifiedDate: '$now',
    },
  ],
  OpportunityContactRole: [
    { OpportunityId: '@older', ContactId: '@suzuki', Role: 'Decision Maker' },
    { OpportunityId: '@closed', ContactId: '@suzuki', Role: 'Decision Maker' },
  ],
};
