/** @jsxImportSource hono/jsx */
/** The admin page: users, apps, scopes and signing keys. */
import {
  Avatar,
  CheckboxField,
  ConsoleLayout,
  InputField,
  PageHead,
  PostForm,
  SelectField,
  Time,
  VerifiedBadge,
  type ConsoleProps,
  type FieldErrors,
} from '../../components.js';
import { slugId } from '../../format.js';
import { paths } from '../../routes.js';
import { visibilityInfo, Empty } from '../console-labels.js';

export interface AdminPageProps extends ConsoleProps {
  users: Array<{
    id: string;
    username: string;
    name?: string | null;
    email?: string | null;
    isAdmin: boolean;
    disabledAt?: number | null;
    createdAt: number;
  }>;
  apps: Array<{
    id: string;
    name: string;
    logoUrl?: string | null;
    visibility: string;
    verified: boolean;
    /** May introspect other apps' access tokens; the checkbox is shown for confidential apps only. */
    resourceServer?: boolean;
    confidential?: boolean;
    ownerLabel?: string;
  }>;
  scopes: Array<{ name: string; description: string; requiresWorkspace: boolean; builtin?: boolean }>;
  keys: Array<{ kid: string; alg: string; state: string; createdAt: number; activatedAt?: number | null; retiredAt?: number | null }>;
  /** The current user search. */
  search: string;
  /** Errors of the create-scope form, keyed name / description. */
  errors?: FieldErrors;
  scopeValues?: { name?: string; description?: string; requiresWorkspace?: boolean };
}

const keyStateBadge: Record<string, string> = { current: 'badge badge-verified', next: 'badge badge-info', retired: 'badge' };

export function AdminPage(props: AdminPageProps) {
  const errors = props.errors ?? {};
  return (
    <ConsoleLayout {...props} title="Admin" current="admin">
      <PageHead title="Admin" description="Server-wide settings. Changes take effect immediately." />
      <nav aria-label="Admin sections">
        <ul class="section-nav">
          <li>
            <a href="#users">Users</a>
          </li>
          <li>
            <a href="#apps">Apps</a>
          </li>
          <li>
            <a href="#scopes">Scopes</a>
          </li>
          <li>
            <a href="#keys">Signing keys</a>
          </li>
        </ul>
      </nav>

      <section class="panel" id="users" aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        <PostForm action={paths.adminSearchUsers} csrfToken={props.csrfToken} class="inline-form">
          <InputField id="user-search" name="q" type="search" label="Search users" value={props.search} placeholder="Username, name or email" spellcheck={false} />
          <button type="submit" class="btn">
            Search
          </button>
        </PostForm>
        <hr />
        {props.users.length === 0 ? (
          <Empty>
            <p>{props.search ? 'No users match this search.' : 'No users.'}</p>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.users.map((u) => {
              const disabled = Boolean(u.disabledAt);
              const isMe = u.username === props.user.username;
              return (
                <li>
                  <div class="row-main">
                    <Avatar name={u.name || u.username} size="sm" />
                    <div>
                      <div class="row-title">
                        {u.username} {u.isAdmin ? <span class="badge badge-info">Admin</span> : null}{' '}
                        {disabled ? <span class="badge badge-danger">Disabled</span> : null}
                      </div>
                      <div class="row-meta">
                        {u.name ? <span>{u.name}</span> : null}
                        {u.email ? <span>{u.email}</span> : null}
                        <span>
                          Joined <Time at={u.createdAt} />
                        </span>
                      </div>
                    </div>
                  </div>
                  <div class="row-actions">
                    {isMe ? (
                      <span class="muted small">You</span>
                    ) : disabled ? (
                      <PostForm action={paths.adminEnableUser(u.id)} csrfToken={props.csrfToken}>
                        <button type="submit" class="btn btn-sm">
                          Enable<span class="sr-only"> {u.username}</span>
                        </button>
                      </PostForm>
                    ) : (
                      <PostForm
                        action={paths.adminDisableUser(u.id)}
                        csrfToken={props.csrfToken}
                        confirm={`Disable ${u.username}? They are signed out and their tokens stop working.`}
                      >
                        <button type="submit" class="btn btn-danger btn-sm">
                          Disable<span class="sr-only"> {u.username}</span>
                        </button>
                      </PostForm>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section class="panel" id="apps" aria-labelledby="apps-heading">
        <h2 id="apps-heading">Apps</h2>
        <p class="muted small">Verified apps show a badge on the consent screen. Verify only apps whose owner you trust.</p>
        {props.apps.length === 0 ? (
          <Empty>
            <p>No apps registered.</p>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.apps.map((a, i) => (
              <li>
                <div class="row-main">
                  <Avatar name={a.name} logoUrl={a.logoUrl} size="sm" />
                  <div>
                    <div class="row-title">
                      {a.name} <VerifiedBadge verified={a.verified} />
                    </div>
                    <div class="row-meta">
                      <span class="mono">{a.id}</span>
                      <span>{visibilityInfo[a.visibility]?.label ?? a.visibility}</span>
                      {a.ownerLabel ? <span>Owner: {a.ownerLabel}</span> : null}
                    </div>
                  </div>
                </div>
                <div class="row-actions">
                  {a.verified ? (
                    <PostForm action={paths.adminUnverifyApp(a.id)} csrfToken={props.csrfToken} confirm={`Remove the verified badge from ${a.name}?`}>
                      <button type="submit" class="btn btn-sm">
                        Mark unverified<span class="sr-only">: {a.name}</span>
                      </button>
                    </PostForm>
                  ) : (
                    <PostForm action={paths.adminVerifyApp(a.id)} csrfToken={props.csrfToken}>
                      <button type="submit" class="btn btn-sm">
                        Mark verified<span class="sr-only">: {a.name}</span>
                      </button>
                    </PostForm>
                  )}
                  {a.confidential === false ? null : (
                    <PostForm action={paths.adminAppResourceServer(a.id)} csrfToken={props.csrfToken} class="inline-form">
                      <CheckboxField id={slugId('app-resource-server', i)} name="resource_server" label="Resource server (may introspect tokens of other apps)" checked={a.resourceServer === true} />
                      <button type="submit" class="btn btn-sm">
                        Save<span class="sr-only"> resource server setting: {a.name}</span>
                      </button>
                    </PostForm>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel" id="scopes" aria-labelledby="scopes-heading">
        <h2 id="scopes-heading">Scopes</h2>
        <ul class="plain rows">
          {props.scopes.map((s, i) => {
            const prefix = slugId('scope', i);
            return (
              <li>
                <div class="row-main">
                  <div>
                    <div class="row-title">
                      <code>{s.name}</code> {s.builtin ? <span class="badge">Built-in</span> : null}{' '}
                      {s.requiresWorkspace ? <span class="badge badge-info">Requires workspace</span> : null}
                    </div>
                    <div class="row-meta">
                      <span>{s.description}</span>
                    </div>
                  </div>
                </div>
                {s.builtin ? null : (
                  <details class="edit">
                    <summary>
                      Edit<span class="sr-only"> {s.name}</span>
                    </summary>
                    <PostForm action={paths.adminUpdateScope(s.name)} csrfToken={props.csrfToken}>
                      <input type="hidden" name="name" value={s.name} />
                      <InputField id={`${prefix}-description`} name="description" label="Description" value={s.description} required />
                      <CheckboxField id={`${prefix}-requires-workspace`} name="requires_workspace" label="Requires workspace" checked={s.requiresWorkspace} />
                      <button type="submit" class="btn btn-sm">
                        Save<span class="sr-only"> {s.name}</span>
                      </button>
                    </PostForm>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
        <hr />
        <h3>New scope</h3>
        <PostForm action={paths.adminCreateScope} csrfToken={props.csrfToken} novalidate>
          <div class="form-row">
            <InputField
              id="new-scope-name"
              name="name"
              label="Name"
              value={props.scopeValues?.name}
              error={errors.name}
              hint="For example projects:read. No spaces."
              autocapitalize="none"
              spellcheck={false}
              required
            />
            <InputField
              id="new-scope-description"
              name="description"
              label="Description"
              value={props.scopeValues?.description}
              error={errors.description}
              hint="Shown to users on the consent screen."
              required
            />
          </div>
          <CheckboxField
            id="new-scope-requires-workspace"
            name="requires_workspace"
            label="Requires workspace"
            checked={props.scopeValues?.requiresWorkspace}
            hint="Users pick which workspaces the app can access."
          />
          <button type="submit" class="btn btn-primary">
            Create scope
          </button>
        </PostForm>
      </section>

      <section class="panel" id="keys" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Signing keys</h2>
        {props.keys.length === 0 ? (
          <p class="muted">No signing keys yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Key ID</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {props.keys.map((k) => (
                  <tr>
                    <td>
                      <code>{k.kid}</code>
                    </td>
                    <td>{k.alg}</td>
                    <td>
                      <span class={keyStateBadge[k.state] ?? 'badge'}>{k.state}</span>
                    </td>
                    <td>
                      <Time at={k.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <hr />
        <h3>Rotate signing keys</h3>
        <p class="muted small">
          The next key becomes current and a new next key is published. Tokens signed with the old key stay valid until
          they expire.
        </p>
        <PostForm action={paths.adminRotateKeys} csrfToken={props.csrfToken} class="inline-form" confirm="Rotate the signing keys now?">
          <SelectField
            id="rotate-alg"
            name="alg"
            label="Algorithm"
            value="RS256"
            class="narrow"
            options={[
              { value: 'RS256', label: 'RS256' },
              { value: 'ES256', label: 'ES256' },
            ]}
          />
          <button type="submit" class="btn btn-primary">
            Rotate keys
          </button>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}
