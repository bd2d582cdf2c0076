; Boussole: the Windows installer, for Inno Setup 6.3 or newer (https://jrsoftware.org).
;
; Build it on Windows, once PyInstaller has made the bundle dist\Boussole (Boussole.exe,
; _internal\, licenses\), from the repository's folder:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\boussole.iss
;
; and, to sign the installer and its uninstaller with an Authenticode certificate:
;
;   iscc /DAppVersion=0.1.0 /DSign "/Sboussolesign=signtool sign /fd sha256 /td sha256 /tr http://timestamp.digicert.com /f C:\keys\boussole.pfx /p PASSWORD $f" packaging\windows\boussole.iss
;
; The installer lands in dist\Boussole-<version>-windows-x64-setup.exe. Paths below are
; relative to this file's folder. `python packaging/inno_files.py dist/Boussole` lists every
; file this script names and checks that each exists (see packaging/README.md).

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z packaging\windows\boussole.iss
#endif

#define AppName "Boussole"
#define AppExeName "Boussole.exe"
#define BundleDir "..\..\dist\Boussole"
#define AppLicenseFile "..\..\LICENSE"

[Setup]
; Never change AppId: it is how a newer Boussole finds the older one and installs over it
; (same folder, same Start-menu entry, one line in "Installed apps").
AppId={{00C58B7B-1275-4382-9E6D-82FDEB5C3C75}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Boussole
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; For the current user only, no administrator rights asked: with "lowest", {autopf} is
; %LOCALAPPDATA%\Programs and the shortcuts go to the user's own Start menu and desktop.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
ShowLanguageDialog=auto
SetupIconFile=boussole.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; Boussole's licence, shown before installing (the same text is in {app}\licenses).
LicenseFile={#AppLicenseFile}
OutputDir=..\..\dist
OutputBaseFilename=Boussole-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
; A Boussole still open during an upgrade is asked to close (Restart Manager).
CloseApplications=yes
#ifdef Sign
SignTool=boussolesign
SignedUninstaller=yes
#endif

[Languages]
; French first: it is Boussole's first language. Setup follows the Windows display language.
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program whole: the previous version's internals are removed first,
; so that no module or licence of an older Boussole stays behind. Only inside the program
; folder, never the user's data.
Type: filesandordirs; Name: "{app}\_internal"
Type: filesandordirs; Name: "{app}\licenses"

[Files]
; The PyInstaller bundle, with its licenses\ folder: Boussole's own licence (GNU AGPL 3.0 or
; later) and the licences of everything it ships (THIRD-PARTY-LICENSES.txt, Qt's LGPL...).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The icon of the shortcuts.
Source: "boussole.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\boussole.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\boussole.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; There is deliberately NO [UninstallDelete] section, and there must never be one naming the
; user's data. The uninstaller removes only what this script installed in the program folder
; ({app}, by default %LOCALAPPDATA%\Programs\Boussole) and the shortcuts. The workspace
; (%LOCALAPPDATA%\Boussole\workspace) and the log (%LOCALAPPDATA%\Boussole\Logs) are the
; user's case files and history: neither an upgrade nor uninstalling ever deletes them.
