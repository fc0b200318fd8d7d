/**
 * Tags of the emulator's resources, by ARN, as SageMaker keeps them: set by the Create calls' `Tags`,
 * read with ListTags (Describe calls do not return tags), dropped with the resource.
 */
import type { ListTagsInput, ListTagsOutput, Tag } from "@aws-sdk/client-sagemaker";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { invalidField } from "../apiErrors";
import { ResourceStore } from "../store";

const RESOURCE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+$/;

interface TagRecord {
  ResourceArn: string;
  Tags: Tag[];
}

export class ResourceTags {
  private readonly store: ResourceStore<TagRecord>;

  constructor(stateDir: string) {
    this.store = new ResourceStore(join(stateDir, "tags"));
  }

  /** ARNs hold ':' and '/': the file is named by a hash. */
  private key(arn: string): string {
    return createHash("sha256").update(arn).digest("hex").slice(0, 32);
  }

  set(arn: string, tags: Tag[] | undefined): void {
    if (tags && tags.length > 0) this.store.put(this.key(arn), { ResourceArn: arn, Tags: tags.map(({ Key, Value }) => ({ Key, Value })) });
  }

  get(arn: string): Tag[] {
    return this.store.get(this.key(arn))?.Tags ?? [];
  }

  remove(arn: string): void {
    this.store.delete(this.key(arn));
  }

  list(input: ListTagsInput): ListTagsOutput {
    const arn: unknown = input.ResourceArn;
    if (typeof arn !== "string" || arn.length > 256 || !RESOURCE_ARN.test(arn)) {
      throw invalidField("resourceArn", arn, "Member must satisfy regular expression pattern: arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:.+");
    }
    return { Tags: this.get(arn) };
  }
}
