/** Where the Redis store keeps each kind of state, under a prefix (docs/deployment.md, "Keys"). */

export function redisKeys(prefix: string) {
  return {
    /** `{…}` is a hash tag: a namespace's keys stay on one node of a cluster. */
    namespaced: (namespace: string, name: string) => `${prefix}ns:{${encodeURIComponent(namespace)}}:${name}`,
    namespacePattern: (namespace: string) => `${prefix}ns:{${escapeGlob(encodeURIComponent(namespace))}}:*`,
    blobIndex: `${prefix}blobs:by-age`,
    blobSizes: `${prefix}blobs:sizes`,
    blobBytes: `${prefix}blobs:bytes`,
    jobs: `${prefix}jobs:due`,
    jobPayloads: `${prefix}jobs:payloads`,
    channel: (name: string) => `${prefix}channel:${name}`,
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
