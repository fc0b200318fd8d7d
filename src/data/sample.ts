/**
 * Writes the small resolutions sample that lives in `data/`: synthetic, resolution-like tweets written
 * by this project (not rows of the real dataset), in the real file's columns and quirks: windows-1252
 * bytes, CRLF mixed with bare CR line endings, quoted fields with commas, quotes and line breaks.
 * Tests and quick starts use it where the real file is not fetched.
 */
import { formatCsv } from "./csv";
import { encodeWindows1252 } from "./encoding";
import { writeFileAtomically } from "../io/atomicFile";

/** Resolutions per `Resolution_Category`, phrased the way the tweets phrase them. */
const SAMPLE_RESOLUTIONS: Readonly<Record<string, readonly string[]>> = {
  "Health & Fitness": [
    "run a half marathon before summer",
    "drink more water, less soda",
    "go to the gym 3 times a week",
    "eat healthier and cook at home",
    "quit smoking for good",
    "lose 20 pounds and keep them off",
    "stretch every morning",
    "sleep 8 hours a night",
  ],
  Humor: [
    "finally beat my cat at staring contests",
    "be the person my dog thinks I am",
    "stop making resolutions I won’t keep",
    "eat cake, because it’s somebody’s birthday somewhere",
    "reach 2015 without replying \"new year, new me\"",
    "learn to fold a fitted sheet",
    "get a six pack… of donuts",
    "lose 10 pounds: only 15 to go",
  ],
  "Personal Growth": [
    "be more patient with myself",
    "say yes to new things",
    "stop caring what others think",
    "read the news less, live more",
    "be kinder, even on Mondays",
    "worry less and smile more",
    "step out of my comfort zone",
    "be more confident at work and at home",
  ],
  "Recreation & Leisure": [
    "travel to Iceland and see the northern lights",
    "learn to play the guitar",
    "go camping more often",
    "read 30 books this year",
    "watch every Hitchcock film",
    "visit a new café every month",
    "take up photography",
    "go to more concerts",
  ],
  "Family/Friends/Relationships": [
    "call my mom every Sunday",
    "spend more time with my kids",
    "see my friends more often",
    "be a better husband",
    "stop texting at dinner",
    "visit grandma in Florida",
  ],
  Finance: [
    "save $50 a week",
    "pay off my credit card",
    "stop buying coffee out, make it at home",
    "start a retirement fund",
    "stick to a budget",
    "spend less on clothes",
  ],
  Career: [
    "get a promotion",
    "find a job I love",
    "start my own business",
    "update my résumé and apply, apply, apply",
    "ask for a raise",
    "network more at work",
  ],
  "Education/Training": [
    "learn Spanish",
    "finish my degree",
    "take an online coding course",
    "study harder and get straight A’s",
    "learn to code in Python",
    "read one textbook chapter a day",
  ],
  "Time Management/Organization": [
    "stop procrastinating",
    "be on time — every time",
    "clean out my closet",
    "keep a planner and use it",
    "get up earlier",
    "organize my desk, my inbox and my life",
  ],
  Philanthropic: [
    "volunteer at the animal shelter",
    "donate blood every 3 months",
    "give to charity every month",
    "help at the food bank",
    "do one good deed a day",
    "mentor a kid in my neighborhood",
  ],
};

const OPENERS = ["#NewYearsResolution", "My #NewYearsResolution is to", "2015 goal:", "This year I will", "#NewYearsResolution:"];
const NAMES = ["jess_runs", "MikeT", "the_real_amy", "dan_the_man", "Sofia_R", "kcoop", "LindaB", "nate88"];

/** The sample's rows: header `tweet_id,name,Resolution_Category,text`, then one row per resolution. */
export function sampleRows(): string[][] {
  const rows: string[][] = [["tweet_id", "name", "Resolution_Category", "text"]];
  let index = 0;
  // Round-robin over categories so that any prefix (e.g. --limit 20) covers every category.
  const categories = Object.entries(SAMPLE_RESOLUTIONS);
  const longest = Math.max(...categories.map(([, phrases]) => phrases.length));
  for (let turn = 0; turn < longest; turn++) {
    for (const [category, phrases] of categories) {
      const phrase = phrases[turn];
      if (phrase === undefined) continue;
      const opener = OPENERS[index % OPENERS.length];
      // Every seventh tweet breaks its line, as some real tweets do inside their quoted text.
      const text = index % 7 === 3 ? `${opener} ${phrase}\r\n#2015` : `${opener} ${phrase}`;
      rows.push([String(550000000000000000 + index * 7919), NAMES[index % NAMES.length], category, text]);
      index++;
    }
  }
  return rows;
}

/** The sample file's bytes: windows-1252, rows ending in CRLF except every third one, which ends in a bare CR. */
export function sampleBytes(): Uint8Array {
  const lines = sampleRows().map((row, i) => formatCsv([row], i % 3 === 2 ? "\r" : "\r\n"));
  return encodeWindows1252(lines.join(""));
}

/** Writes the sample to `path` (default `data/resolutions-sample.csv`); returns how many data rows it has. */
export function writeResolutionsSample(path: string): number {
  writeFileAtomically(path, sampleBytes());
  return sampleRows().length - 1;
}
