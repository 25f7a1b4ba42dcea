/**
 * Province-level divisions of GB/T 2260 (中华人民共和国行政区划代码), keyed by the code's first two digits, as
 * they open a 公民身份号码 (GB 11643-1999 §4.2) or a 不动产单元号 (GB/T 37346-2019). Only this level is
 * listed: it is stable, where the ~3,000 county-level codes change every year and would need a maintained table.
 */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

/** 直辖市: the province-level unit is also the city, so an address goes straight on to the district. */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/** Suffixes that end a prefecture-level name (市 last: 苏州市 must not stop at 州). */
const CITY_SUFFIXES = ['自治州', '地区', '盟', '市'] as const;
/** Suffixes that end a county-level name (区, 县, 县级市, 旗). */
const DISTRICT_SUFFIXES = ['区', '县', '市', '旗'] as const;
/** Longest names looked at: 12 characters covers 克孜勒苏柯尔克孜自治州 (11) and every district name. */
const MAX_NAME = 12;

/** The region parts an address (and optionally a division code) names. */
export interface AddressRegion {
  province?: string;
  city?: string;
  district?: string;
}

/**
 * The province, city and district a Chinese address names, e.g. `江苏省南京市玄武区中山路1号` →
 * 江苏省 / 南京市 / 玄武区. `divisionCode` (6 digits of GB/T 2260) fixes the province when the address omits it
 * (`南京市玄武区…`); when the address names another province than the code, nothing is derived. Linear scans
 * of at most {@link MAX_NAME} characters per part, no regular expression; a part not found is left out.
 */
export function regionOfAddress(address: unknown, divisionCode?: unknown): AddressRegion {
  if (typeof address !== 'string') return {};
  const codeProvince = typeof divisionCode === 'string' && /^[0-9]{6}$/.test(divisionCode) ? divisionCode.slice(0, 2) : undefined;
  const named = Object.entries(PROVINCES).find(([, name]) => address.startsWith(name));
  if (codeProvince && named && named[0] !== codeProvince) return {};
  const provinceCode = named?.[0] ?? codeProvince;
  if (!provinceCode || !PROVINCES[provinceCode]) return {};
  const region: AddressRegion = { province: PROVINCES[provinceCode] };
  let rest = named ? address.slice(named[1].length) : address;
  if (MUNICIPALITIES.has(provinceCode)) {
    region.city = region.province;
  } else {
    const city = leadingName(rest, CITY_SUFFIXES);
    if (!city) return region;
    region.city = city;
    rest = rest.slice(city.length);
  }
  const district = leadingName(rest, DISTRICT_SUFFIXES);
  if (district) region.district = district;
  return region;
}

/**
 * The shortest prefix of `text` (2 to MAX_NAME Han characters) that ends with one of `suffixes`. Division
 * names are all Han, so a digit or Latin letter ends the search: `中山路1号3区` names no district.
 */
function leadingName(text: string, suffixes: readonly string[]): string | undefined {
  const chars = [...text.slice(0, MAX_NAME * 2)].slice(0, MAX_NAME);
  for (let end = 1; end <= chars.length; end++) {
    if (!isHan(chars[end - 1]!)) return undefined;
    if (end < 2) continue;
    const head = chars.slice(0, end).join('');
    if (suffixes.some((suffix) => head.endsWith(suffix) && head.length > suffix.length)) return head;
  }
  return undefined;
}

function isHan(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x20000 && code <= 0x323af);
}
