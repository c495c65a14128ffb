// Renderer: "what may I do here?" — opened from the signed-in name in the top bar: the member's role, what it allows,
// and what it does not, in the words the dispatcher uses when it refuses ("Your role (Viewer) cannot edit dossiers.
// Ask an admin."). The table is shared/members/roles.ts, the one the dispatcher checks.
import { CAPABILITIES, CAPABILITY_NAMES, roleCan, type Role } from '../../../../shared/members/roles'
import { Button } from '../../components/Button'
import { Dialog } from '../../components/Dialog'
import { t } from '../../i18n/intl'
import { roleName } from '../../i18n/codeNames'

export function RoleDialog({ member, onClose }: { member: { name: string; role: Role }; onClose: () => void }) {
  const allowed = CAPABILITY_NAMES.filter((c) => roleCan(member.role, c))
  const refused = CAPABILITY_NAMES.filter((c) => !roleCan(member.role, c))
  const role = roleName(member.role)
  return (
    <Dialog
      title={t('home.roleDialog.signedInAs', { name: member.name })}
      wide
      onCancel={onClose}
      actions={
        <Button variant="primary" onClick={onClose}>
          {t('home.roleDialog.close')}
        </Button>
      }
    >
      <p>
        {t('home.roleDialog.yourRoleIs')} <strong>{role}</strong>
        {t('home.roleDialog.theAppLeavesOut')}
      </p>
      <div className="role-columns">
        <section>
          <h3>{t('home.roleDialog.youCan')}</h3>
          <ul className="role-list allowed" data-testid="role-allowed">
            {allowed.map((c) => (
              <li key={c}>{CAPABILITIES[c].label}</li>
            ))}
          </ul>
        </section>
        {refused.length > 0 && (
          <section>
            <h3>{t('home.roleDialog.yourRoleCannot', { role })}</h3>
            <ul className="role-list refused" data-testid="role-refused">
              {refused.map((c) => (
                <li key={c}>{CAPABILITIES[c].refusal}</li>
              ))}
            </ul>
            <p className="hint">{t('home.roleDialog.askAnAdminIf')}</p>
          </section>
        )}
      </div>
    </Dialog>
  )
}
