/**
 * The extension's public identity. The Chrome id below follows from the public key
 * and is what Salesforce admins register as the OAuth callback host:
 * https://hnlekkcnbcebeecddbkacphgkinejdon.chromiumapp.org/oauth2
 * Before the first store release, replace it with the store item's public key (Developer
 * Dashboard > Package > View public key) so that unpacked builds and the store share one id.
 * Changing this key changes the id and breaks every rep's connection.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtJT387+c8P3Lgwy5KCH4OkKyVYmg6d4LQHgRmSjkctQWvlURnIcFW7IIvVyxrpNh+/jhXPA8K6KLtrQRMLZZnxxaPn6gC0h67orwTp6ZxLc8jwqqxQercgNSOTxnMMwD/nunIDPrMdtnjaKsu65aTnsSt4G/8dDoHG0voLbmLnjN358SgTh8KLo50CLXxR2sdMU/1rz1uT8G25yRudJf9zxxiF7v1jC//BNdmpMekofWE86oGutWteyXbuoyQhAkLduMb/E4X853cneKCCPAuM33eU/OLYT5FttRXwjPtb6HBU0xjeNwf+ePrzi4wfJzjzQRGgEsF7/f7EQu+qq1KQIDAQAB';

export const CHROME_EXTENSION_ID = 'hnlekkcnbcebeecddbkacphgkinejdon';

export const FIREFOX_ADDON_ID = 'sales-activity-sync@sales-activity-sync.org';
