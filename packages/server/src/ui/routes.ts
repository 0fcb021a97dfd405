/**
 * Paths the console pages link to and post to. The HTTP layer can import
 * these to register matching routes. Path segments are URI-encoded.
 */
const e = encodeURIComponent;

export const paths = {
  home: '/',
  account: '/account',
  accountProfile: '/account/profile',
  accountPassword: '/account/password',
  signOut: '/logout',
  login: '/login',
  signup: '/signup',
  setup: '/setup',
  connectedApps: '/account/connected-apps',
  revokeGrant: (grantId: string) => `/account/connected-apps/${e(grantId)}/revoke`,
  workspaces: '/account/workspaces',
  createWorkspace: '/account/workspaces',
  addMember: (workspaceId: string) => `/account/workspaces/${e(workspaceId)}/members`,
  changeMemberRole: (workspaceId: string, username: string) =>
    `/account/workspaces/${e(workspaceId)}/members/${e(username)}/role`,
  removeMember: (workspaceId: string, username: string) =>
    `/account/workspaces/${e(workspaceId)}/members/${e(username)}/remove`,
  leaveWorkspace: (workspaceId: string) => `/account/workspaces/${e(workspaceId)}/leave`,
  developerApps: '/developer/apps',
  newApp: '/developer/apps/new',
  app: (clientId: string) => `/developer/apps/${e(clientId)}`,
  editApp: (clientId: string) => `/developer/apps/${e(clientId)}/edit`,
  rotateSecret: (clientId: string) => `/developer/apps/${e(clientId)}/rotate-secret`,
  deleteApp: (clientId: string) => `/developer/apps/${e(clientId)}/delete`,
  admin: '/admin',
  adminSearchUsers: '/admin/users/search',
  adminDisableUser: (userId: string) => `/admin/users/${e(userId)}/disable`,
  adminEnableUser: (userId: string) => `/admin/users/${e(userId)}/enable`,
  adminVerifyApp: (clientId: string) => `/admin/apps/${e(clientId)}/verify`,
  adminUnverifyApp: (clientId: string) => `/admin/apps/${e(clientId)}/unverify`,
  adminAppResourceServer: (clientId: string) => `/admin/apps/${e(clientId)}/resource-server`,
  adminCreateScope: '/admin/scopes',
  adminUpdateScope: (name: string) => `/admin/scopes/${e(name)}`,
  adminRotateKeys: '/admin/keys/rotate',
  directory: '/apps',
  directoryApp: (clientId: string) => `/apps/${e(clientId)}`,
} as const;
