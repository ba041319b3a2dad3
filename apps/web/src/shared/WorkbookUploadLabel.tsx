import { UploadOutlined } from '@ant-design/icons';

/**
 * A workbook (.xlsx) picker drawn as a label around a hidden file input, so the whole control is reachable by keyboard
 * and named in Chinese; the input is cleared after each pick so the same file can be chosen again after a fix.
 */
export function WorkbookUploadLabel(props: {
  label: string;
  className: string;
  disabled: boolean;
  onFile: (file: File) => void;
}) {
  return (
    <label className={props.className}>
      <UploadOutlined aria-hidden /> {props.label}
      <input
        type="file"
        accept=".xlsx"
        className="visually-hidden"
        aria-label={props.label}
        disabled={props.disabled}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) props.onFile(f);
        }}
      />
    </label>
  );
}
