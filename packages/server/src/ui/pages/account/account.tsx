/** @jsxImportSource hono/jsx */
/** The account page: profile, password, sessions. */
import {
  Avatar,
  ConsoleLayout,
  ErrorSummary,
  InputField,
  PageHead,
  PostForm,
  summaryItems,
  type ConsoleProps,
  type FieldErrors,
} from '../../components.js';
import { paths } from '../../routes.js';

export interface AccountPageProps extends ConsoleProps {
  profile: { username: string; name?: string | null; email?: string | null; emailVerified?: boolean; picture?: string | null };
  /** Keyed by field name: name, email, picture, current_password, new_password. */
  errors?: FieldErrors;
}

export function AccountPage(props: AccountPageProps) {
  const { profile } = props;
  const errors = props.errors ?? {};
  const profileErrors = summaryItems(errors, (n) => `account-${n}`, ['name', 'email', 'picture']).filter((i) =>
    ['#account-name', '#account-email', '#account-picture'].includes(i.href),
  );
  const passwordErrors = summaryItems(errors, (n) => `account-${n}`, ['current_password', 'new_password']).filter((i) =>
    ['#account-current_password', '#account-new_password'].includes(i.href),
  );
  return (
    <ConsoleLayout {...props} title="Account" current="account" narrow>
      <PageHead
        lead={<Avatar name={profile.name || profile.username} logoUrl={profile.picture} />}
        title="Account"
        description={
          <>
            Signed in as <strong>{profile.username}</strong>
          </>
        }
      />
      <section class="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ErrorSummary items={profileErrors} />
        <PostForm action={paths.accountProfile} csrfToken={props.csrfToken} novalidate>
          <InputField id="account-name" name="name" label="Name" value={profile.name} error={errors.name} autocomplete="name" optional />
          <InputField
            id="account-email"
            name="email"
            type="email"
            label="Email"
            value={profile.email}
            error={errors.email}
            autocomplete="email"
            spellcheck={false}
            hint={
              profile.email ? (profile.emailVerified ? 'Verified.' : 'Not verified yet.') : 'Apps that ask for your email receive this address.'
            }
          />
          <InputField
            id="account-picture"
            name="picture"
            type="url"
            label="Picture URL"
            value={profile.picture}
            error={errors.picture}
            placeholder="https://"
            spellcheck={false}
            optional
            hint="An https link to a square image."
          />
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Save profile
            </button>
          </div>
        </PostForm>
      </section>
      <section class="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ErrorSummary items={passwordErrors} />
        <PostForm action={paths.accountPassword} csrfToken={props.csrfToken} novalidate>
          <InputField
            id="account-current_password"
            name="current_password"
            type="password"
            label="Current password"
            error={errors.current_password}
            autocomplete="current-password"
            required
          />
          <InputField
            id="account-new_password"
            name="new_password"
            type="password"
            label="New password"
            error={errors.new_password}
            hint="At least 8 characters."
            autocomplete="new-password"
            required
          />
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Change password
            </button>
          </div>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}
