/** Whether dist/ was built from the sources as they are now (`root`: the package root URL). */
export function isBuildFresh(root: URL): boolean;
