// Renderer: "what may I do here?" — opened from the signed-in name in the top bar: the member's role, what it allows,
// and for everything else the same sentence the dispatcher answers with when asked ("Your role (Viewer) cannot edit
// dossiers. Ask an admin."). The table is shared/members/roles.ts, the one the dispatcher checks.
import { CAPABILITIES, CAPABILITY_NAMES, describeRefusal, ROLE_LABELS, roleCan, type Role } from '../../../../shared/members/roles'
import { Button } from '../../components/Button'
import { Dialog } from '../../components/Dialog'

export function RoleDialog({ member, onClose }: { member: { name: string; role: Role }; onClose: () => void }) {
  const allowed = CAPABILITY_NAMES.filter((c) => roleCan(member.role, c))
  const refused = CAPABILITY_NAMES.filter((c) => !roleCan(member.role, c))
  return (
    <Dialog
      title={`Signed in as ${member.name}`}
      onCancel={onClose}
      actions={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <p>
        Your role is <strong>{ROLE_LABELS[member.role]}</strong>. What a role cannot do is not shown in the app; Custodia refuses it if it
        is tried anyway.
      </p>
      <h3>You can</h3>
      <ul className="role-list allowed" data-testid="role-allowed">
        {allowed.map((c) => (
          <li key={c}>{CAPABILITIES[c].label}</li>
        ))}
      </ul>
      {refused.length > 0 && (
        <>
          <h3>You cannot, and why</h3>
          <ul className="role-list refused" data-testid="role-refused">
            {refused.map((c) => (
              <li key={c}>{describeRefusal(member.role, c)}</li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  )
}
