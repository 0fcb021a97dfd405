/** @jsxImportSource hono/jsx */
/** The user's workspaces and their members. */
import { Avatar, ConsoleLayout, InputField, PageHead, PostForm, SelectField, type ConsoleProps, type FieldErrors } from '../../components.js';
import { slugId } from '../../format.js';
import { paths } from '../../routes.js';
import { type Role, roleOptions, roleLabel, Empty } from '../console-labels.js';

export interface WorkspaceView {
  id: string;
  name: string;
  slug: string;
  /** The signed-in user's role. */
  role: Role;
  members: Array<{ username: string; name?: string | null; role: Role }>;
}

export interface WorkspacesPageProps extends ConsoleProps {
  workspaces: WorkspaceView[];
  /** Errors of the create-workspace form, keyed name / slug. */
  errors?: FieldErrors;
  values?: { name?: string; slug?: string };
}

export function WorkspacesPage(props: WorkspacesPageProps) {
  const errors = props.errors ?? {};
  const me = props.user.username;
  return (
    <ConsoleLayout {...props} title="Workspaces" current="workspaces">
      <PageHead title="Workspaces" description="Workspaces group people. Apps can ask for access to a workspace you belong to." />
      {props.workspaces.length === 0 ? (
        <section class="panel">
          <Empty>
            <p>You don't belong to any workspace yet. Create one below or ask an owner to add you.</p>
          </Empty>
        </section>
      ) : null}
      {props.workspaces.map((ws, wi) => {
        const canManage = ws.role === 'owner' || ws.role === 'admin';
        const prefix = slugId('ws', wi);
        return (
          <section class="panel" aria-labelledby={`${prefix}-heading`}>
            <div class="panel-head">
              <div>
                <h2 id={`${prefix}-heading`}>{ws.name}</h2>
                <div class="row-meta">
                  <span class="mono">{ws.slug}</span>
                  <span>Your role: {roleLabel(ws.role)}</span>
                  <span>
                    {ws.members.length} {ws.members.length === 1 ? 'member' : 'members'}
                  </span>
                </div>
              </div>
              <PostForm
                action={paths.leaveWorkspace(ws.id)}
                csrfToken={props.csrfToken}
                confirm={`Leave ${ws.name}? Apps you authorized for this workspace lose access to it.`}
              >
                <button type="submit" class="btn btn-danger btn-sm">
                  Leave<span class="sr-only"> {ws.name}</span>
                </button>
              </PostForm>
            </div>
            <h3 class="sr-only">Members</h3>
            <ul class="plain rows">
              {ws.members.map((m, mi) => {
                const roleId = `${prefix}-m${mi}-role`;
                const isMe = m.username === me;
                return (
                  <li>
                    <div class="row-main">
                      <Avatar name={m.name || m.username} size="sm" />
                      <div>
                        <div class="row-title">
                          {m.name || m.username}
                          {isMe ? <span class="muted"> (you)</span> : null}
                        </div>
                        <div class="row-meta">
                          <span>{m.username}</span>
                          {canManage ? null : <span>{roleLabel(m.role)}</span>}
                        </div>
                      </div>
                    </div>
                    {canManage ? (
                      <div class="row-actions">
                        <PostForm action={paths.changeMemberRole(ws.id, m.username)} csrfToken={props.csrfToken} class="compact-form">
                          <label for={roleId} class="small">
                            Role for {m.username}
                          </label>
                          <select id={roleId} name="role">
                            {roleOptions.map((o) => (
                              <option value={o.value} selected={o.value === m.role}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                          <button type="submit" class="btn btn-sm">
                            Save<span class="sr-only"> role for {m.username}</span>
                          </button>
                        </PostForm>
                        {isMe ? null : (
                          <PostForm
                            action={paths.removeMember(ws.id, m.username)}
                            csrfToken={props.csrfToken}
                            confirm={`Remove ${m.username} from ${ws.name}?`}
                          >
                            <button type="submit" class="btn btn-link">
                              Remove<span class="sr-only"> {m.username}</span>
                            </button>
                          </PostForm>
                        )}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {canManage ? (
              <>
                <hr />
                <h3>Add member</h3>
                <PostForm action={paths.addMember(ws.id)} csrfToken={props.csrfToken} class="inline-form">
                  <InputField
                    id={`${prefix}-add-username`}
                    name="username"
                    label="Username"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck={false}
                    required
                  />
                  <SelectField id={`${prefix}-add-role`} name="role" label="Role" value="member" options={roleOptions} class="narrow" />
                  <button type="submit" class="btn btn-primary">
                    Add member
                  </button>
                </PostForm>
              </>
            ) : null}
          </section>
        );
      })}
      <section class="panel" aria-labelledby="create-ws-heading">
        <h2 id="create-ws-heading">Create a workspace</h2>
        <PostForm action={paths.createWorkspace} csrfToken={props.csrfToken} novalidate>
          <div class="form-row">
            <InputField id="ws-name" name="name" label="Name" value={props.values?.name} error={errors.name} required />
            <InputField
              id="ws-slug"
              name="slug"
              label="Slug"
              value={props.values?.slug}
              error={errors.slug}
              hint="Lowercase letters, numbers and dashes; used in URLs and tokens."
              autocapitalize="none"
              spellcheck={false}
              required
            />
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Create workspace
            </button>
          </div>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}
