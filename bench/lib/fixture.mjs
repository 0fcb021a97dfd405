/** The world both servers are configured with: one user, a web app, a service client, one API scope. */
export const FIXTURE = {
  username: 'bench',
  password: 'bench correct horse battery',
  email: 'bench@example.com',
  name: 'Bench User',
  redirectUri: 'http://127.0.0.1:9999/cb',
  apiScope: 'api:read',
  webScope: 'openid profile email offline_access',
  /** What the code flow asks for. */
  flowScope: 'openid profile email',
  /** An app that asks for no `openid`: no ID token at the token endpoint. */
  apiFlowScope: 'profile email',
};
