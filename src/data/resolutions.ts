/**
 * The 2015 New Year's resolutions tweets (CrowdFlower "Data for Everyone") that the AWS walkthrough
 * classifies: where the file is published, its checksum, and how its `Resolution_Category` values map
 * to the walkthrough's nine candidate labels.
 */

/** The file, pinned to one commit so its bytes (and sha256) never change. */
export const RESOLUTIONS_URL =
  "https://raw.githubusercontent.com/amac-lfc/twitter-resolution/9e9257b2ef89aaf4cb6a2a998c2be28cc61da147/New-years-resolutions-DFE.csv";

/** sha256 of the file at `RESOLUTIONS_URL`. */
export const RESOLUTIONS_SHA256 = "0f900c73bc8160b41303eebf71d2556b76175845fd70202029ca551c27b4ae8f";

/** Where `zero-shot data` stores the file by default (not committed). */
export const RESOLUTIONS_DEFAULT_PATH = "data/New-years-resolutions-DFE.csv";

/** The small synthetic sample the project writes itself and commits, for tests and quick starts. */
export const RESOLUTIONS_SAMPLE_PATH = "data/resolutions-sample.csv";

/** The walkthrough's nine candidate labels, in its order. */
export const RESOLUTION_LABELS = [
  "Health",
  "Humor",
  "Personal Growth",
  "Philanthropy",
  "Leisure",
  "Career",
  "Finance",
  "Education",
  "Time Management",
] as const;

/**
 * `Resolution_Category` value -> candidate label; `null` leaves the category's rows out.
 * Family/Friends/Relationships has no label in the walkthrough.
 */
export const RESOLUTION_CATEGORY_LABELS: Readonly<Record<string, string | null>> = {
  "Health & Fitness": "Health",
  Humor: "Humor",
  "Personal Growth": "Personal Growth",
  Philanthropic: "Philanthropy",
  "Recreation & Leisure": "Leisure",
  Career: "Career",
  Finance: "Finance",
  "Education/Training": "Education",
  "Time Management/Organization": "Time Management",
  "Family/Friends/Relationships": null,
};
