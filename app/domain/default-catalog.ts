/** The catalog a new server starts with, so the bot works the moment it joins. */
import type { Catalog, ItemDefinition, TierDefinition } from './catalog';

export const DEFAULT_TIERS: TierDefinition[] = [
  {
    id: 'N',
    name: { ja: 'ノーマル', en: 'Normal' },
    rank: 1,
    ratePpm: 500_000,
    color: 0x9e9e9e,
    emoji: '⚪',
    duplicateShards: 1,
  },
  {
    id: 'R',
    name: { ja: 'レア', en: 'Rare' },
    rank: 2,
    ratePpm: 350_000,
    color: 0x2196f3,
    emoji: '🔵',
    duplicateShards: 3,
  },
  {
    id: 'SR',
    name: { ja: 'Sレア', en: 'Super Rare' },
    rank: 3,
    ratePpm: 110_000,
    color: 0x9c27b0,
    emoji: '🟣',
    duplicateShards: 10,
  },
  {
    id: 'SSR',
    name: { ja: 'SSレア', en: 'Super Super Rare' },
    rank: 4,
    ratePpm: 34_000,
    color: 0xffc107,
    emoji: '🟡',
    duplicateShards: 40,
  },
  {
    id: 'UR',
    name: { ja: 'ウルトラレア', en: 'Ultra Rare' },
    rank: 5,
    ratePpm: 6_000,
    color: 0xff1744,
    emoji: '🌈',
    duplicateShards: 150,
  },
];

type ItemSeed = readonly [id: string, ja: string, en: string];

const seeds: Record<string, readonly ItemSeed[]> = {
  N: [
    ['wooden-sword', '木の剣', 'Wooden Sword'],
    ['rice-ball', 'おにぎり', 'Rice Ball'],
    ['paper-fan', '紙の扇子', 'Paper Fan'],
    ['straw-hat', '麦わら帽子', 'Straw Hat'],
    ['bamboo-flute', '竹笛', 'Bamboo Flute'],
    ['tea-cup', '湯呑み', 'Tea Cup'],
    ['wooden-sandals', '下駄', 'Wooden Sandals'],
    ['paper-lantern', '提灯', 'Paper Lantern'],
    ['daruma', 'だるま', 'Daruma Doll'],
    ['origami-crane', '折り鶴', 'Origami Crane'],
    ['spinning-top', 'こま', 'Spinning Top'],
    ['kendama', 'けん玉', 'Kendama'],
    ['furoshiki', '風呂敷', 'Furoshiki Cloth'],
    ['wind-chime', '風鈴', 'Wind Chime'],
    ['mochi', 'お餅', 'Mochi'],
    ['dango', '団子', 'Dango'],
    ['umbrella', '和傘', 'Paper Umbrella'],
    ['abacus', 'そろばん', 'Abacus'],
    ['tanuki-statue', '信楽焼の狸', 'Tanuki Statue'],
    ['maneki-neko', '招き猫', 'Beckoning Cat'],
  ],
  R: [
    ['iron-katana', '鉄の刀', 'Iron Katana'],
    ['ninja-star', '手裏剣', 'Shuriken'],
    ['shrine-bell', '神社の鈴', 'Shrine Bell'],
    ['koi-charm', '鯉のお守り', 'Koi Charm'],
    ['fox-mask', '狐のお面', 'Fox Mask'],
    ['silk-kimono', '絹の着物', 'Silk Kimono'],
    ['taiko-drum', '太鼓', 'Taiko Drum'],
    ['archer-bow', '和弓', 'Yumi Bow'],
    ['tengu-fan', '天狗の団扇', 'Tengu Fan'],
    ['snow-rabbit', '雪うさぎ', 'Snow Rabbit'],
    ['firefly-jar', '蛍の瓶', 'Firefly Jar'],
    ['moon-rabbit', '月のうさぎ', 'Moon Rabbit'],
    ['temple-key', '寺の鍵', 'Temple Key'],
    ['sake-gourd', '瓢箪', 'Sake Gourd'],
    ['scroll-of-wind', '風の巻物', 'Scroll of Wind'],
    ['jade-comb', '翡翠の櫛', 'Jade Comb'],
  ],
  SR: [
    ['sakura-swordswoman', '桜の剣士', 'Sakura Swordswoman'],
    ['shadow-ninja', '影の忍', 'Shadow Ninja'],
    ['shrine-maiden', '巫女', 'Shrine Maiden'],
    ['thunder-monk', '雷の僧', 'Thunder Monk'],
    ['kitsune-archer', '狐の弓使い', 'Kitsune Archer'],
    ['wave-ronin', '波の浪人', 'Wave Ronin'],
    ['lantern-ghost', '提灯お化け', 'Lantern Ghost'],
    ['kappa-sage', '河童の賢者', 'Kappa Sage'],
    ['crane-dancer', '鶴の舞姫', 'Crane Dancer'],
    ['oni-blacksmith', '鬼の鍛冶師', 'Oni Blacksmith'],
    ['tea-master', '茶道の師範', 'Tea Master'],
    ['star-astrologer', '星読みの陰陽師', 'Star Astrologer'],
  ],
  SSR: [
    ['nine-tailed-fox', '九尾の狐', 'Nine-Tailed Fox'],
    ['storm-shogun', '嵐の将軍', 'Storm Shogun'],
    ['moon-princess', 'かぐや姫', 'Moon Princess'],
    ['dragon-priestess', '龍の巫女', 'Dragon Priestess'],
    ['crimson-samurai', '紅の侍', 'Crimson Samurai'],
    ['frost-yuki-onna', '雪女', 'Frost Maiden'],
    ['thunder-raijin', '雷神', 'Raijin'],
    ['wind-fujin', '風神', 'Fujin'],
  ],
  UR: [
    ['amaterasu', '天照大神', 'Amaterasu'],
    ['susanoo', '須佐之男', 'Susanoo'],
    ['tsukuyomi', '月読', 'Tsukuyomi'],
    ['yamata-no-orochi', '八岐大蛇', 'Yamata no Orochi'],
  ],
};

export const DEFAULT_ITEMS: ItemDefinition[] = Object.entries(seeds).flatMap(([tierId, list]) =>
  list.map(([id, ja, en]) => ({ id, tierId, name: { ja, en } })),
);

export const DEFAULT_STANDARD_BANNER_ID = 'standard';

export function defaultCatalog(): Catalog {
  return {
    mainLanguage: 'ja',
    tiers: DEFAULT_TIERS.map((t) => ({ ...t, name: { ...t.name } })),
    items: DEFAULT_ITEMS.map((i) => ({ ...i, name: { ...i.name } })),
    banners: [
      {
        id: DEFAULT_STANDARD_BANNER_ID,
        kind: 'standard',
        name: { ja: '常設ガチャ', en: 'Standard Banner' },
        featuredItemIds: [],
        rateUpSharePpm: 0,
        pity: { hardPity: 90, softPityStart: 74, softPityStepPpm: 60_000 },
        sparkThreshold: 0,
      },
    ],
    pullCost: 100,
    tenPullCost: 1_000,
    tenPullGuaranteeTierId: 'SR',
  };
}
